import { badRequest } from './errors.js';
import { field, type Form } from './form.js';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 50;

function nonNegativeInt(form: Form, name: string, fallback: number): number {
  const v = field(form, name);
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,9}$/.test(v)) throw badRequest(`${name} must be a whole number >= 0, not "${v}"`);
  return Number(v);
}

export function parsePageRequest(query: Form): PageRequest {
  const page = nonNegativeInt(query, 'Page', 0);
  const pageSize = nonNegativeInt(query, 'PageSize', DEFAULT_PAGE_SIZE);
  if (pageSize === 0) throw badRequest('PageSize must be at least 1');
  return { page, pageSize };
}

/**
 * Index of the last page that holds data. Restcomm uses floor(total/ps), which names an empty page when
 * total is a multiple of ps; Dialtone counts only pages that exist (0 when there are no rows).
 */
export function lastPage(total: number, pageSize: number): number {
  return total === 0 ? 0 : Math.ceil(total / pageSize) - 1;
}

/** Throws Restcomm's 400 for a page past the end; call before fetching rows. */
export function checkPage(req: PageRequest, total: number): void {
  if (req.page > lastPage(total, req.pageSize)) {
    throw badRequest(`Page ${req.page} is past the last page ${lastPage(total, req.pageSize)}`);
  }
}

export interface PageEnvelope {
  page: number;
  num_pages: number;
  page_size: number;
  total: number;
  start: string;
  end: string;
  uri: string;
  first_page_uri: string;
  previous_page_uri: string;
  next_page_uri: string;
  last_page_uri: string;
}

/** The paging fields of spec §1.9, in Restcomm's key order; absent links are the literal string "null". */
export function pageEnvelope(req: PageRequest, total: number, rowSids: readonly string[], uri: string): PageEnvelope {
  const { page, pageSize } = req;
  const lp = lastPage(total, pageSize);
  const start = page * pageSize;
  const end = page === lp ? start + rowSids.length : start + pageSize - 1;
  const link = (p: number): string => `${uri}?Page=${p}&PageSize=${pageSize}`;
  return {
    page,
    num_pages: lp,
    page_size: pageSize,
    total,
    start: String(start),
    end: String(end),
    uri,
    first_page_uri: link(0),
    previous_page_uri: page === 0 ? 'null' : link(page - 1),
    next_page_uri: page >= lp ? 'null' : `${link(page + 1)}&AfterSid=${rowSids[pageSize - 1] ?? ''}`,
    last_page_uri: link(lp),
  };
}

/** The same fields as XML attributes of the list element (Restcomm's lower-case names). */
export function pageAttributes(env: PageEnvelope): Record<string, string | number> {
  return {
    '@_page': env.page,
    '@_numpages': env.num_pages,
    '@_pagesize': env.page_size,
    '@_total': env.total,
    '@_start': env.start,
    '@_end': env.end,
    '@_uri': env.uri,
    '@_firstpageuri': env.first_page_uri,
    '@_previouspageuri': env.previous_page_uri,
    '@_nextpageuri': env.next_page_uri,
    '@_lastpageuri': env.last_page_uri,
  };
}
