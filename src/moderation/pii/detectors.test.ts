import { describe, expect, it } from "vitest";
import { chineseIdValid, ibanValid, koreanRrnValid, luhnValid } from "./checksums.ts";
import type { PiiKind } from "./detectors.ts";
import { findPii } from "./find-pii.ts";

/** What one detector finds in `text`, alone. */
const found = (kind: PiiKind, text: string) => findPii(text, [kind]).map((m) => m.value);

/** Per kind: values that must be found (embedded in a sentence), and near-misses that must not. */
const CASES: Record<PiiKind, { hits: string[]; misses: string[] }> = {
  email: {
    hits: ["alice@example.com", "first.last+tag@mail.example.co.uk", "x_y%z@sub-domain.io"],
    misses: ["alice@localhost", "alice@example", "@example.com", "alice@example.c", "alice at example dot com"],
  },
  phone: {
    hits: [
      "010-1234-5678", // KR mobile
      "+82 10-1234-5678",
      "02-123-4567", // Seoul
      "031-123-4567",
      "13800138000", // CN mobile
      "+86 138 0013 8000",
      "010-12345678", // Beijing landline
      "(415) 555-2671", // US
      "415-555-2671",
      "+1 415 555 2671",
      "+44 20 7946 0958", // international
      "+49 30 1234567",
    ],
    misses: ["123-4567", "415-155-2671", "12800138000", "2024-01-15", "version 3.14.159", "+12 34", "ISBN 978"],
  },
  "kr-rrn": {
    hits: ["850315-1234567", "020101-3123456", "8503151234566"],
    misses: ["850315-3234567" /* born 2085 */, "851315-1234567" /* month 13 */, "850230-2234567" /* Feb 30 */, "8503151234567" /* bare, bad check digit */, "85031512345678"],
  },
  "cn-id": {
    hits: ["11010519491231002X", "11010519491231002x"],
    misses: ["110105194912310021" /* check digit */, "110105194913310028" /* month 13 */, "01010519491231002X", "11010519491231002XY"],
  },
  "credit-card": {
    hits: ["4111 1111 1111 1111", "4111-1111-1111-1111", "5500000000000004", "378282246310005", "3782 822463 10005", "6011111111111117"],
    misses: ["4111 1111 1111 1112" /* Luhn */, "1234 5678 9012 3452" /* issuer */, "4111 1111 1111" /* too short */, "41111111111111111111111"],
  },
  iban: {
    hits: ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "FR14 2004 1010 0505 0001 3M02 606"],
    misses: ["DE89 3704 0044 0532 0130 01" /* mod 97 */, "GB82WEST1234569876543" /* length */, "XX00 0000 0000"],
  },
  secret: {
    hits: [
      "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t",
      "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
      "AKIAIOSFODNN7EXAMPLE",
      "xoxb-123456789012-abcdefABCDEF",
      "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
      "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345",
      "q8Zr2Lx9Vw3Kp7Tn4Bm6Hy1Jd5Fs0Gc",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
    misses: [
      "sk-short",
      "3f786850e387550fdab836ed7e6dc881de23001b" /* commit id */,
      "550e8400-e29b-41d4-a716-446655440000" /* UUID */,
      "MyVeryLongClassNameForTesting123",
      "configurationManagerFactory2024",
      "internationalization_i18n_strings",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
    ],
  },
};

describe.each(Object.entries(CASES) as Array<[PiiKind, (typeof CASES)[PiiKind]]>)("detector %s", (kind, { hits, misses }) => {
  it.each(hits)("finds %s", (value) => {
    expect(found(kind, `Please use ${value} for this.`)).toEqual([value]);
    expect(found(kind, value)).toEqual([value]);
  });
  it.each(misses)("does not flag %s", (value) => {
    expect(found(kind, `Please use ${value} for this.`)).toEqual([]);
  });
});

describe("checksums", () => {
  it("Luhn", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });
  it("IBAN mod 97", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("GB82 WEST 1234 5698 7654 33")).toBe(false);
  });
  it("Chinese resident ID check character", () => {
    expect(chineseIdValid("11010519491231002X")).toBe(true);
    expect(chineseIdValid("110105194912310020")).toBe(false);
  });
  it("Korean RRN: date and gender digit always; the check digit only when asked", () => {
    expect(koreanRrnValid("850315-1234567", false)).toBe(true);
    expect(koreanRrnValid("850315-1234567", true)).toBe(false);
    expect(koreanRrnValid("8503151234566", true)).toBe(true);
    expect(koreanRrnValid("850315-9234567", false)).toBe(true); // gender digit 9: born 1885
    expect(koreanRrnValid("850315-3234567", false)).toBe(false); // gender digit 3: born 2085, in the future
  });
});

describe("findPii", () => {
  it("resolves overlaps: a card number is not also a phone number", () => {
    const matches = findPii("card 4111 1111 1111 1111, mail bob@example.com, call 010-1234-5678");
    expect(matches.map((m) => [m.kind, m.value])).toEqual([
      ["credit-card", "4111 1111 1111 1111"],
      ["email", "bob@example.com"],
      ["phone", "010-1234-5678"],
    ]);
  });
  it("finds nothing in ordinary prose with numbers", () => {
    expect(findPii("In 2024, 3 of 17 runs took 12.5 s; see section 4.2 and RFC 4180.")).toEqual([]);
  });
});
