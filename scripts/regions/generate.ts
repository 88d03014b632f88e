/**
 * Writes functions/domain/regions/data.json from ISO 3166-2 (Debian's iso-codes): `npm run regions:generate`.
 * The unit test regenerates it in memory and compares, so a stale or hand-edited table fails `npm test`.
 */
import { writeFileSync } from "node:fs";
import { REGION_DATA_FILE, regionsFromSource } from "./source";

writeFileSync(REGION_DATA_FILE, `${JSON.stringify(regionsFromSource())}\n`);
process.stdout.write(`wrote ${REGION_DATA_FILE}\n`);
