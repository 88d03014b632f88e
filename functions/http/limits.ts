/**
 * Largest request body accepted, in bytes (API Gateway's own cap is 10 MB; ours is far lower). Its own
 * module so the middleware every Lambda bundles does not pull in the route table and all its schemas.
 */
export const MAX_BODY_BYTES = 64 * 1024;
