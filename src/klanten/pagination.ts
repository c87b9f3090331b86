// Page arithmetic for klant_list: the OAS' {count, next, previous, results} envelope.

export interface PageWindow {
  start: number;
  end: number;
  hasNext: boolean;
  hasPrevious: boolean;
  /** False when the page lies past the end (the reference answers 404 then). */
  exists: boolean;
}

export function pageWindow(total: number, page: number, pageSize: number): PageWindow {
  const start = (page - 1) * pageSize;
  const end = Math.min(start + pageSize, total);
  return {
    start,
    end,
    hasNext: end < total,
    hasPrevious: page > 1,
    exists: page === 1 || start < total,
  };
}

/** The same query string with `page` replaced (page 1 drops the parameter, as the reference does). */
export function pageQuery(search: URLSearchParams, page: number): string {
  const q = new URLSearchParams(search);
  if (page <= 1) q.delete('page');
  else q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}
