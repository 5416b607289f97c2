const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function offset(d: Date, colon: boolean): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return sign + pad(Math.floor(abs / 60)) + (colon ? ':' : '') + pad(abs % 60);
}

/** Restcomm's entity date, Java `EEE, d MMM yyyy HH:mm:ss Z` in the server's zone: `Fri, 5 Jul 2013 22:15:53 +0300`. */
export function restcommDate(iso: string): string {
  const d = new Date(iso);
  return `${DAYS[d.getDay()]}, ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${offset(d, false)}`;
}

/** Joda's ISO form with milliseconds and offset in the server's zone: `2013-10-18T04:51:47.671-06:00`. */
export function isoWithOffset(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${offset(d, true)}`;
}

/**
 * A `yyyy-MM-dd` query filter as the ISO timestamp of that day's start in the server's zone. Like Restcomm's
 * parser it ignores trailing text (`2013-08-23 14:30:07.82` is 2013-08-23); `undefined` when no date leads.
 */
export function parseFilterDay(text: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  return new Date(y, mo - 1, d + addDays).toISOString();
}
