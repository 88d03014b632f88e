import { attachmentDependencies } from "../adapters/runtime";
import { createdObjectOf } from "../adapters/s3/evidence-events";
import { checkUploadedObject } from "../app/attachments";

/**
 * EventBridge (S3 `Object Created` on the evidence bucket): the content check of an uploaded file. A
 * failure throws, and EventBridge retries the invocation (then its dead-letter queue).
 */
export const handler = async (event: unknown): Promise<void> => {
  const object = createdObjectOf(event);
  if (object) await checkUploadedObject(object, attachmentDependencies());
};
