import { dependencies } from "../adapters/runtime";
import { reconcile } from "../app/reconcile";
import { scheduledHandler } from "../http/step-handler";

/** Scheduled every few minutes: starts any workflow an intake stored but could not start. */
export const handler = scheduledHandler(() => reconcile(dependencies()));
