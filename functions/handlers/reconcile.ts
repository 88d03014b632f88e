import { dependencies } from "../adapters/runtime";
import { reconcile } from "../app/reconcile";

/** Scheduled every few minutes: starts any workflow an intake stored but could not start. */
export const handler = async () => reconcile(dependencies());
