// IP address checks, as node:net's isIP/isIPv4/isIPv6 decide them (the same patterns as
// Node's lib/internal/net.js), without loading node:net: that module and the streams it
// pulls in cost several milliseconds of start-up to a process that opens no socket.
// test/unit/speed.test.ts checks these against node:net itself.

const V4_SEG = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4_STR = `(?:${V4_SEG}\\.){3}${V4_SEG}`;
const IPV4 = new RegExp(`^${V4_STR}$`);

const V6_SEG = '(?:[0-9a-fA-F]{1,4})';
let ipv6: RegExp | undefined;

/** Node's IPv6 pattern, zone id included; built on first use (it is large). */
function ipv6Pattern(): RegExp {
  ipv6 ??= new RegExp(
    '^(?:' +
      `(?:${V6_SEG}:){7}(?:${V6_SEG}|:)|` +
      `(?:${V6_SEG}:){6}(?:${V4_STR}|:${V6_SEG}|:)|` +
      `(?:${V6_SEG}:){5}(?::${V4_STR}|(?::${V6_SEG}){1,2}|:)|` +
      `(?:${V6_SEG}:){4}(?:(?::${V6_SEG}){0,1}:${V4_STR}|(?::${V6_SEG}){1,3}|:)|` +
      `(?:${V6_SEG}:){3}(?:(?::${V6_SEG}){0,2}:${V4_STR}|(?::${V6_SEG}){1,4}|:)|` +
      `(?:${V6_SEG}:){2}(?:(?::${V6_SEG}){0,3}:${V4_STR}|(?::${V6_SEG}){1,5}|:)|` +
      `(?:${V6_SEG}:){1}(?:(?::${V6_SEG}){0,4}:${V4_STR}|(?::${V6_SEG}){1,6}|:)|` +
      `(?::(?:(?::${V6_SEG}){0,5}:${V4_STR}|(?::${V6_SEG}){1,7}|:))` +
      ')(?:%[0-9a-zA-Z-.:]{1,})?$',
  );
  return ipv6;
}

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIPv6(text: string): boolean {
  return ipv6Pattern().test(text);
}

/** 4, 6, or 0 when the text is not an IP address. */
export function isIP(text: string): 0 | 4 | 6 {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return 0;
}
