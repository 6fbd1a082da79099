import { describe, expect, it } from "vitest";
import { SputnikError } from "../../core/errors.ts";
import { storeUnavailable } from "./store-errors.ts";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("storeUnavailable", () => {
  it.each([
    [withCode("database or disk is full", "SQLITE_FULL"), /disk is full/],
    [withCode("attempt to write a readonly database", "SQLITE_READONLY_DIRECTORY"), /read-only/],
    [withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"), /cannot reach/],
    [withCode("terminating connection due to administrator command", "57P01"), /cannot reach/],
  ])("maps a database fault (%s) to 503 store_unavailable", (error, message) => {
    const mapped = storeUnavailable(error) as SputnikError;
    expect(mapped).toBeInstanceOf(SputnikError);
    expect(mapped).toMatchObject({ status: 503, code: "store_unavailable", headers: { "Retry-After": "5" } });
    expect(mapped.message).toMatch(message);
  });

  it("passes our own errors and plain bugs through (a bug stays a 500)", () => {
    const own = new SputnikError("x", { status: 402, type: "insufficient_balance" });
    expect(storeUnavailable(own)).toBe(own);
    const bug = new TypeError("cannot read properties of undefined");
    expect(storeUnavailable(bug)).toBe(bug);
  });
});
