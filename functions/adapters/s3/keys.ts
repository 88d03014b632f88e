import type { EvidenceObject } from "../../app/ports";

/**
 * Object keys of the evidence store, once: ids only, never a file name (a name is what a person typed —
 * personal data, and a path if we let it). One prefix per complaint keeps its files together.
 */
export const EVIDENCE_PREFIX = "complaints/";

const ID = "[0-9A-HJKMNP-TV-Z]{26}";
const KEY = new RegExp(`^${EVIDENCE_PREFIX}(${ID})/(${ID})$`);

/** The key of one attachment's object. */
export const evidenceKey = (o: Pick<EvidenceObject, "complaintId" | "attachmentId">): string =>
  `${EVIDENCE_PREFIX}${o.complaintId}/${o.attachmentId}`;

/** The attachment a key names; undefined for any key that is not one of ours. */
export const evidenceObjectOf = (key: string, versionId?: string): EvidenceObject | undefined => {
  const match = KEY.exec(key);
  if (!match) return undefined;
  return {
    complaintId: match[1] as string,
    attachmentId: match[2] as string,
    ...(versionId ? { versionId } : {}),
  };
};
