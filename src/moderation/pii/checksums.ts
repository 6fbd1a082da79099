/**
 * Check digits of the identifiers the privacy shield looks for. A format match alone flags far
 * too much (any 16 digits "look like" a card); the check digit turns most near-misses away.
 */

/** Luhn (mod 10) over the digits of `value`, ignoring spaces and dashes: credit and debit cards. */
export function luhnValid(value: string): boolean {
  const digits = value.replace(/[ -]/g, "");
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN check: move the first four characters to the end, letters to 10..35, mod 97 must be 1. */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/ /g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  // Digit by digit with a running remainder: the number is far too large for a double.
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const chunk = code >= 65 ? String(code - 55) : char;
    for (const digit of chunk) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = "10X98765432";

/** GB 11643-1999 resident identity number: region, a real birth date, sequence, ISO 7064 MOD 11-2 check. */
export function chineseIdValid(value: string): boolean {
  const id = value.toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  if (!validDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)), 1900)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * CN_WEIGHTS[i];
  return CN_CHECK[sum % 11] === id[17];
}

const KR_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/**
 * Korean resident registration number `YYMMDD-GNNNNNN`: a real birth date and a gender/century
 * digit that agree. Numbers issued since October 2020 have random final digits, so the old
 * check digit is only required when `requireCheckDigit` is set (bare 13-digit runs, which
 * are otherwise too common to flag on format alone).
 */
export function koreanRrnValid(value: string, requireCheckDigit: boolean): boolean {
  const digits = value.replace("-", "");
  if (!/^\d{13}$/.test(digits)) return false;
  const g = digits.charCodeAt(6) - 48;
  // 1/2 and 5/6: born 1900-1999; 3/4 and 7/8: 2000-2099; 9/0: 1800-1899.
  const century = g === 9 || g === 0 ? 1800 : g === 1 || g === 2 || g === 5 || g === 6 ? 1900 : 2000;
  if (!validDate(century + Number(digits.slice(0, 2)), Number(digits.slice(2, 4)), Number(digits.slice(4, 6)), 1800)) return false;
  if (!requireCheckDigit) return true;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * KR_WEIGHTS[i];
  return (11 - (sum % 11)) % 10 === digits.charCodeAt(12) - 48;
}

function validDate(year: number, month: number, day: number, minYear: number): boolean {
  // Nobody is born in the future: "2085" from a 1985-style number with a 2000s gender digit is a near-miss.
  if (year < minYear || year > new Date().getUTCFullYear() || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
