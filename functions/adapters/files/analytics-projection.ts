import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AnalyticsProjection } from "../../app/ports";
import type { AnalyticsRecord } from "../../domain/analytics";
import { analyticsKeyOf } from "../analytics-keys";

/** The projection on the embedded target: the same objects as files under a folder (DuckDB reads them). */
export class FileAnalyticsProjection implements AnalyticsProjection {
  constructor(private readonly root: string) {}

  async put(record: AnalyticsRecord): Promise<void> {
    const path = join(this.root, analyticsKeyOf(record));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(record)}\n`);
  }
}
