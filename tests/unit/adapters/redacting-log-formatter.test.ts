import { describe, expect, it } from "vitest";
import { redact, redactText } from "../../../functions/adapters/logging/redacting-log-formatter";

describe("log redaction", () => {
  it("masks e-mail addresses, phone numbers, account and card numbers, tokens and JWTs in any string", () => {
    const text = redactText(
      "mail zq.marchbanks@example.org, call +86 139 7531 8642 or (020) 7946-0958, card 6222 0212 3456 7890, " +
        "account 62170012345678901, token lsfn1.AbC_d-123, jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig",
    );
    for (const leak of ["marchbanks", "7531", "7946", "6222", "62170012345678901", "lsfn1.", "eyJ"]) {
      expect(text).not.toContain(leak);
    }
  });

  it("leaves ids, references, timestamps and error locations readable", () => {
    const kept =
      "complaint 01M8HMK5N1Z3GCCV2HXSHNPCJ4 CMP-20261201-000123 at 2026-12-01T09:00:00.000+08:00 (repository.ts:63:12) v3" +
      " confirmed through 2027-12-31, rules 2026-12-01, stream record 000000000000000000007";
    expect(redactText(kept)).toBe(kept);
  });

  it("replaces values under personal or secret keys, at any depth", () => {
    const out = redact({
      complaintId: "01M8HMK5N1Z3GCCV2HXSHNPCJ4",
      complaint: {
        customer: { id: "C-1001", segment: "mass_retail", name: "Zebulon Quixote", email: "z@x.io" },
        description: "My name is Zebulon",
        flags: { vulnerableCustomer: true },
      },
      headers: { Authorization: "Bearer abc", "x-api-key": "k" },
    });
    expect(out).toEqual({
      complaintId: "01M8HMK5N1Z3GCCV2HXSHNPCJ4",
      complaint: {
        customer: { id: "C-1001", segment: "mass_retail", name: "[personal-data]", email: "[personal-data]" },
        description: "[personal-data]",
        flags: { vulnerableCustomer: true },
      },
      headers: { Authorization: "[redacted]", "x-api-key": "[redacted]" },
    });
  });
});
