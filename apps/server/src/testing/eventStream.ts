/** Reads a server-sent event stream over real HTTP, one `data:` update at a time (the phone pages' pushes). */
export async function openEventStream<T>(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queued: T[] = [];
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    /** The next update (already received or still to come). */
    async next(): Promise<T> {
      for (;;) {
        const ready = queued.shift();
        if (ready) return ready;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) queued.push(JSON.parse(data.slice(6)) as T);
        }
      }
    },
    close: () => controller.abort(),
  };
}
