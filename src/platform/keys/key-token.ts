/**
 * API key material. A key is `sk-` + 64 hex digits (32 random bytes); only its SHA-256 is stored.
 *
 * Why SHA-256 and not bcrypt/argon2: those slow hashes exist to protect low-entropy passwords from
 * guessing. A 256-bit random key cannot be guessed, so a fast hash is as safe, and it lets every
 * request be checked with one indexed lookup instead of a deliberately slow computation (which
 * would also be a denial-of-service lever).
 */
import { createHash, randomBytes } from "node:crypto";

const KEY_PATTERN = /^sk-[0-9a-f]{64}$/;

export function generateKeyToken(): string {
  return `sk-${randomBytes(32).toString("hex")}`;
}

export function generateKeyId(): string {
  return `key_${randomBytes(8).toString("hex")}`;
}

/** Well-formed keys only; anything else is refused before touching the database. */
export function isWellFormedKey(token: string): boolean {
  return KEY_PATTERN.test(token);
}

export function hashKeyToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** What lists show: enough to recognise a key, far too little to use it. */
export function keyPrefix(token: string): string {
  return token.slice(0, 7);
}
