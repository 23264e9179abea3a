/**
 * Minimal RIFF/WAVE handling for announcement clips: 16-bit (or 8-bit) integer PCM only,
 * which is what espeak-ng and hall recordings produce. Joining never resamples: clips of
 * different formats are refused, so a hall that records its own clips finds out at once.
 */
export interface PcmFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: 8 | 16;
}

export interface Wav {
  format: PcmFormat;
  /** Interleaved little-endian PCM frames. */
  data: Buffer;
}

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

const HEADER_BYTES = 44;

function frameBytes(format: PcmFormat): number {
  return (format.bitsPerSample / 8) * format.channels;
}

export function sameFormat(a: PcmFormat, b: PcmFormat): boolean {
  return a.sampleRate === b.sampleRate && a.channels === b.channels && a.bitsPerSample === b.bitsPerSample;
}

export function describeFormat(f: PcmFormat): string {
  return `${f.sampleRate} Hz ${f.channels} ch ${f.bitsPerSample}-bit`;
}

/**
 * Parses a WAV file. Walks the chunk list rather than assuming a 44-byte header (recorders
 * add LIST/fact chunks), and tolerates the oversized data length streaming writers such as
 * espeak-ng leave when they cannot seek back: the data runs to the end of the file then.
 */
export function parseWav(bytes: Buffer): Wav {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavError('not a RIFF/WAVE file');
  }
  let format: PcmFormat | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavError('truncated fmt chunk');
      const audioFormat = bytes.readUInt16LE(body);
      const channels = bytes.readUInt16LE(body + 2);
      const sampleRate = bytes.readUInt32LE(body + 4);
      const bitsPerSample = bytes.readUInt16LE(body + 14);
      if (audioFormat !== 1) throw new WavError(`unsupported WAV encoding ${audioFormat} (only integer PCM)`);
      if (bitsPerSample !== 8 && bitsPerSample !== 16) throw new WavError(`unsupported ${bitsPerSample}-bit samples`);
      if (channels < 1 || channels > 2) throw new WavError(`unsupported channel count ${channels}`);
      if (sampleRate < 4000 || sampleRate > 192_000) throw new WavError(`implausible sample rate ${sampleRate}`);
      format = { sampleRate, channels, bitsPerSample };
    } else if (id === 'data') {
      if (!format) throw new WavError('data chunk before fmt chunk');
      const end = Math.min(bytes.length, body + size);
      const usable = end - body - ((end - body) % frameBytes(format));
      return { format, data: Buffer.from(bytes.subarray(body, body + usable)) };
    }
    offset = body + size + (size % 2);
  }
  throw new WavError(format ? 'no data chunk' : 'no fmt chunk');
}

export function encodeWav(wav: Wav): Buffer {
  const { format, data } = wav;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * frameBytes(format), 28);
  header.writeUInt16LE(frameBytes(format), 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Concatenates clips of one format; refuses a mix, naming the first clip that differs. */
export function joinWavs(parts: readonly Wav[]): Wav {
  const first = parts[0];
  if (!first) throw new WavError('nothing to join');
  parts.forEach((part, index) => {
    if (!sameFormat(part.format, first.format)) {
      throw new WavError(`clip ${index} is ${describeFormat(part.format)}, expected ${describeFormat(first.format)}`);
    }
  });
  return { format: first.format, data: Buffer.concat(parts.map((p) => p.data)) };
}

export function silence(format: PcmFormat, ms: number): Wav {
  const frames = Math.round((format.sampleRate * ms) / 1000);
  const data = Buffer.alloc(frames * frameBytes(format), format.bitsPerSample === 8 ? 0x80 : 0);
  return { format, data };
}

export function durationMs(wav: Wav): number {
  return (wav.data.length / frameBytes(wav.format) / wav.format.sampleRate) * 1000;
}

/** Absolute amplitude of a frame, 0…1, loudest channel. */
function frameLevel(wav: Wav, frame: number): number {
  const { channels, bitsPerSample } = wav.format;
  let level = 0;
  for (let c = 0; c < channels; c++) {
    if (bitsPerSample === 16) {
      level = Math.max(level, Math.abs(wav.data.readInt16LE((frame * channels + c) * 2)) / 32768);
    } else {
      level = Math.max(level, Math.abs((wav.data[frame * channels + c] ?? 128) - 128) / 128);
    }
  }
  return level;
}

/**
 * Cuts leading and trailing near-silence, keeping `marginMs` of it on each side: espeak-ng
 * pads every clip, and joined per-syllable clips would otherwise sound like a list.
 */
export function trimSilence(wav: Wav, threshold = 0.02, marginMs = 20): Wav {
  const frames = wav.data.length / frameBytes(wav.format);
  let start = 0;
  while (start < frames && frameLevel(wav, start) < threshold) start++;
  if (start === frames) return { format: wav.format, data: Buffer.alloc(0) };
  let end = frames;
  while (end > start && frameLevel(wav, end - 1) < threshold) end--;
  const margin = Math.round((wav.format.sampleRate * marginMs) / 1000);
  const from = Math.max(0, start - margin) * frameBytes(wav.format);
  const to = Math.min(frames, end + margin) * frameBytes(wav.format);
  return { format: wav.format, data: Buffer.from(wav.data.subarray(from, to)) };
}

/** A two-tone "ding-dong" synthesised in the clips' own format, so it joins without resampling. */
export function chime(format: PcmFormat): Wav {
  const tones = [
    { hz: 880, ms: 380 },
    { hz: 698.5, ms: 620 },
  ];
  const chunks: Buffer[] = [];
  for (const tone of tones) {
    const frames = Math.round((format.sampleRate * tone.ms) / 1000);
    const chunk = Buffer.alloc(frames * frameBytes(format));
    for (let i = 0; i < frames; i++) {
      const t = i / format.sampleRate;
      // Fast attack, exponential decay: a bell rather than a beep.
      const envelope = Math.min(1, i / (format.sampleRate * 0.005)) * Math.exp((-3 * i) / frames);
      const value = 0.35 * envelope * (Math.sin(2 * Math.PI * tone.hz * t) + 0.3 * Math.sin(4 * Math.PI * tone.hz * t));
      for (let c = 0; c < format.channels; c++) {
        const at = (i * format.channels + c) * (format.bitsPerSample / 8);
        if (format.bitsPerSample === 16) chunk.writeInt16LE(Math.round(Math.max(-1, Math.min(1, value)) * 32767), at);
        else chunk[at] = Math.round(128 + Math.max(-1, Math.min(1, value)) * 127);
      }
    }
    chunks.push(chunk);
  }
  return { format, data: Buffer.concat(chunks) };
}
