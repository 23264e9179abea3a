import type { Service } from '../domain/catalogue';

export interface ServiceSearchHit {
  service: Service;
  /** Lower is better: 0 name starts with the query, 1 name contains it, 2 keyword or code matches. */
  rank: number;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Kiosk search box: every whitespace-separated term must appear (case-insensitively) in
 * the name, the code or a keyword; keywords carry pinyin initials such as "hjzm", so a
 * citizen typing on a Latin keyboard finds 户籍证明. An empty query lists everything.
 */
export function searchServices(services: readonly Service[], query: string): ServiceSearchHit[] {
  const terms = query.normalize('NFKC').toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  const hits: ServiceSearchHit[] = [];
  services.forEach((service) => {
    const names = [service.name.zh, service.name.en ?? ''].map(fold);
    const others = [service.code, ...service.keywords].map(fold);
    let rank = 0;
    for (const term of terms) {
      let termRank: number | undefined;
      if (names.some((n) => n.startsWith(term))) termRank = 0;
      else if (names.some((n) => n.includes(term))) termRank = 1;
      else if (others.some((k) => k.includes(term))) termRank = 2;
      if (termRank === undefined) return;
      rank = Math.max(rank, termRank);
    }
    hits.push({ service, rank });
  });
  // Array.prototype.sort is stable, so equal ranks keep catalogue order.
  return hits.sort((a, b) => a.rank - b.rank);
}
