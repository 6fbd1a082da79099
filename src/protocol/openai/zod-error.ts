import type { z } from "zod";
import { invalidRequest, type SputnikError } from "../../core/errors.ts";

/** A zod failure as a 400 that names the first bad field (`messages.1.role`). */
export function fromZodError(error: z.ZodError): SputnikError {
  const issue = error.issues[0];
  const param = issue.path.length > 0 ? issue.path.map(String).join(".") : null;
  const where = param ? `\`${param}\`` : "the request body";
  return invalidRequest(`Invalid value for ${where}: ${issue.message}`, param, "invalid_value");
}
