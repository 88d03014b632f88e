import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Topic } from "aws-cdk-lib/aws-sns";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLERS, type HandlerId } from "../../functions/handlers/catalog";
import {
  PUBLISHES_EVENTS,
  PUBLISHES_NOTICES,
  SENDS_TASK_RESPONSES,
  STARTS_EXECUTIONS,
  USES_EVIDENCE,
  WRITES_ANALYTICS,
} from "../../infra/stacks/service-stack";
import { ERROR } from "../../workflows/contract";
import { logicalIdOf, type Synthesized, synthesize } from "./synth";

/**
 * What `cdk synth` does: bundle every function and run cdk-nag's AWS Solutions checks plus CDK's own
 * template validation. Synthesis throws, with the report, on any unacknowledged finding.
 */
let dev: Synthesized;
let prod: Synthesized;

// Bundling all 19 handlers with esbuild and running cdk-nag twice takes ~75 s on two idle cores; a shared
// CI machine can double that, which is slowness, not failure.
beforeAll(() => {
  dev = synthesize({ stage: "dev" }, { bundle: true, checks: true });
  prod = synthesize({ stage: "prod", alarmEmail: "ops@bank.example" }, { checks: true });
}, 360_000);

type Report = {
  pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
};
const reportOf = (synth: Synthesized): Report =>
  JSON.parse(readFileSync(join(synth.assembly.directory, "validation-report.json"), "utf8"));

const acknowledgements = (root: IConstruct) =>
  root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      // CDK files an unqualified id under 'Annotation::'; cdk-nag matches it without that prefix.
      .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^Annotation::/, ""), reason })),
  );

describe("cdk-nag (AWS Solutions) and CDK template validation", () => {
  it("fail synthesis on an unacknowledged finding (the checks are live, not vacuous)", () => {
    const app = new App({
      outdir: mkdtempSync(join(tmpdir(), "cdk-nag-")),
      builtinCloudFormationValidation: false,
    });
    new Topic(new Stack(app, "Unsafe"), "PlainTopic");
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });

  it.each(["dev", "prod"] as const)("leave no unacknowledged finding in %s", (stage) => {
    const report = reportOf(stage === "dev" ? dev : prod);
    const findings = report.pluginReports.flatMap((r) =>
      r.violations.map((v) => `${r.pluginName}: ${v.ruleName}`),
    );
    expect(findings).toEqual([]);
    for (const plugin of report.pluginReports) expect(plugin.conclusion, plugin.pluginName).toBe("success");
  });

  it("acknowledge every rule with a reason that says why", () => {
    const acks = acknowledgements(dev.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(60);
    }
  });

  it("acknowledge only the rules this design accepts", () => {
    const rules = new Set(acknowledgements(dev.app).map((a) => a.id.replace(/\[.*$/, "")));
    expect([...rules].sort()).toEqual(
      [
        "AwsSolutions-APIG4",
        "AwsSolutions-APIG6",
        // The staff console's distribution: no geo restriction, no us-east-1 WAF, the default certificate.
        "AwsSolutions-CFR1",
        "AwsSolutions-CFR2",
        "AwsSolutions-CFR4",
        "AwsSolutions-COG4",
        // CDK's BucketDeployment function (uploads the console at deploy): CDK's managed policy and runtime.
        "AwsSolutions-IAM4",
        "AwsSolutions-IAM5",
        "AwsSolutions-L1",
        // The evidence bucket's access-log bucket does not log into itself.
        "AwsSolutions-S1",
        // The stream's dead-letter queue is itself a dead-letter queue (it needs none of its own).
        "AwsSolutions-SQS3",
      ].sort(),
    );
    // The only wildcard resources acknowledged are X-Ray/log delivery ('*'), the table's own indexes and
    // the step functions' qualifiers; actions only the KMS key's GenerateDataKey*/ReEncrypt*.
    const wildcards = new Set(
      acknowledgements(dev.app)
        .map((a) => a.id.match(/IAM5\[(.*)\]$/)?.[1])
        .filter((x): x is string => Boolean(x))
        .map((finding) => finding.replace(/<Fn\w+Function\w+\.Arn>/, "<step function>")),
    );
    expect([...wildcards].sort()).toEqual(
      [
        "Action::kms:GenerateDataKey*",
        "Action::kms:ReEncrypt*",
        "Resource::*",
        "Resource::<step function>:*",
        // The reconciler redrives failed executions of the one complaint workflow.
        "Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<WorkflowStateMachine8F1B1C15.Name>:*",
        "Resource::arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/complaints-dev/index/*",
        // Evidence: the functions act on the files under complaints/ of the one bucket; GuardDuty's role scans
        // and tags that bucket's objects and manages its own, documented EventBridge rules.
        "Resource::arn:<AWS::Partition>:s3:::complaints-evidence-dev-<AWS::AccountId>-<AWS::Region>/complaints/*",
        "Resource::<EvidenceBucketC67FF768.Arn>/*",
        // The analysts' projection: one object per change under the table's prefix.
        "Resource::<AnalyticsBucketF3CB46A2.Arn>/complaint_changes/*",
        "Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*",
        // CDK's console upload (BucketDeployment): read the CDK asset, replace the console bucket's objects.
        "Action::s3:GetBucket*",
        "Action::s3:GetObject*",
        "Action::s3:List*",
        "Action::s3:Abort*",
        "Action::s3:DeleteObject*",
        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
        "Resource::<ConsoleBucket86B6957C.Arn>/*",
      ].sort(),
    );
  });
});

describe("function bundles", () => {
  const bundleOf = (handler: HandlerId) => {
    const resources = dev.serviceTemplate.toJSON().Resources;
    const key: string = resources[logicalIdOf(dev, dev.service.functions[handler])].Properties.Code.S3Key;
    const dir = join(dev.assembly.directory, `asset.${key.replace(/\.zip$/, "")}`);
    return { dir, code: readFileSync(join(dir, "index.mjs"), "utf8") };
  };

  it("exist for every catalog handler as an ESM file with its source map", () => {
    for (const handler of Object.keys(HANDLERS) as HandlerId[]) {
      const { dir, code } = bundleOf(handler);
      expect(existsSync(join(dir, "index.mjs.map")), handler).toBe(true);
      // ESM needs a `require` for CommonJS dependencies: the banner defines one.
      expect(code.slice(0, 200), handler).toContain("createRequire");
      expect(code, handler).toMatch(/export\s*\{[^}]*\bas handler\b/);
    }
  });

  it("are minified, keep class names, and carry the SDK instead of importing the runtime's", () => {
    const { code } = bundleOf("intake");
    expect(code.split("\n").length).toBeLessThan(200);
    // keepNames: esbuild re-attaches each original name so `error.name` survives minification.
    expect(code).toMatch(/"name",\{value:/);
    expect(code).toContain(ERROR.transientStore);
    expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    expect(bundleOf("streamWorkflows").code).toContain("StartExecution");
  });

  it("carry only the AWS SDK clients their function is granted (from the bundle's own source map)", () => {
    // What each function may call, as the service stack grants it; DynamoDB for every one.
    const granted = (handler: HandlerId): string[] =>
      [
        "dynamodb",
        ...(([...STARTS_EXECUTIONS, ...SENDS_TASK_RESPONSES] as string[]).includes(handler) ? ["sfn"] : []),
        ...(([...USES_EVIDENCE, ...WRITES_ANALYTICS] as string[]).includes(handler) ? ["s3"] : []),
        ...((PUBLISHES_EVENTS as readonly string[]).includes(handler) ? ["eventbridge"] : []),
        ...((PUBLISHES_NOTICES as readonly string[]).includes(handler) ? ["sns"] : []),
      ].sort();
    const carried = (handler: HandlerId): string[] => {
      const { dir } = bundleOf(handler);
      const map = JSON.parse(readFileSync(join(dir, "index.mjs.map"), "utf8")) as { sources: string[] };
      const clients = new Set<string>();
      for (const source of map.sources) {
        const m = /node_modules\/@aws-sdk\/client-([a-z0-9-]+)\//.exec(source);
        if (m) clients.add(m[1] as string);
      }
      return [...clients].sort();
    };
    const wrong = (Object.keys(HANDLERS) as HandlerId[])
      .map((handler) => ({ handler, carried: carried(handler), granted: granted(handler) }))
      .filter((b) => b.carried.some((c) => !b.granted.includes(c)));
    expect(wrong).toEqual([]);
    // The check sees clients at all: the bus consumer carries EventBridge's.
    expect(carried("streamBus")).toContain("eventbridge");
  });

  it("carry the adapters their wiring needs: report aggregates for reports, the commit path only where it commits", () => {
    // keepNames keeps each class's name as a string in the bundle: a class that is there says so.
    const carries = (handler: HandlerId, className: string) =>
      bundleOf(handler).code.includes(`"${className}"`);
    const REPORTS: HandlerId[] = [
      "reportsSla",
      "reportsRegulatory",
      "reportsRootCauses",
      "reportsFcaReturn",
      "reportsAnnualDisclosure",
      "reportsRebuild",
      "streamReports",
    ];
    // Wired with the reads alone: no report aggregates, no reference allocation, no workflow engine.
    const READS: HandlerId[] = [
      "getComplaint",
      "queue",
      "staffGetComplaint",
      "listNotices",
      "customerHistory",
      "verifyAudit",
      "attachmentsList",
      "teams",
    ];
    const LOOKUPS: HandlerId[] = ["getComplaint", "attachmentsList", "teams"];
    const wrong = (Object.keys(HANDLERS) as HandlerId[]).flatMap((handler) => [
      ...(!REPORTS.includes(handler) && carries(handler, "DynamoReportAggregates")
        ? [`${handler}: DynamoReportAggregates`]
        : []),
      ...(READS.includes(handler) && carries(handler, "ReferenceAllocator")
        ? [`${handler}: ReferenceAllocator`]
        : []),
      ...(READS.includes(handler) && carries(handler, "StepFunctionsEngine")
        ? [`${handler}: StepFunctionsEngine`]
        : []),
      // Lookups of one complaint hold no read models (queues, trails, indexes).
      ...(LOOKUPS.includes(handler) && carries(handler, "DynamoReadModels")
        ? [`${handler}: DynamoReadModels`]
        : []),
      // The reads hold the complaint reader; the repository (the commit path) is a class apart.
      ...(READS.includes(handler) && carries(handler, "DynamoComplaintRepository")
        ? [`${handler}: DynamoComplaintRepository`]
        : []),
    ]);
    expect(wrong).toEqual([]);
    // The check sees the classes at all.
    expect(carries("reportsSla", "DynamoReportAggregates")).toBe(true);
    expect(carries("intake", "ReferenceAllocator")).toBe(true);
    expect(carries("getComplaint", "DynamoComplaintReader")).toBe(true);
    expect(carries("intake", "DynamoComplaintRepository")).toBe(true);
    expect(carries("queue", "DynamoReadModels")).toBe(true);
  });

  it("of the stream consumers decode only their own part of the outbox and carry no calendar", () => {
    // keepNames keeps function names as strings; the integration events' schema has a description of its own.
    const carries = (handler: HandlerId, text: string) => bundleOf(handler).code.includes(text);
    const CONSUMERS: HandlerId[] = [
      "streamWorkflows",
      "streamBus",
      "streamAlerts",
      "streamMetrics",
      "streamRetention",
      "streamReports",
      "streamAnalytics",
    ];
    const INTEGRATION_EVENTS = "the same on a retried publication";
    const wrong = CONSUMERS.flatMap((handler) => [
      ...(carries(handler, '"calendarRegistry"') ? [`${handler}: the calendars`] : []),
      ...(handler !== "streamBus" && carries(handler, INTEGRATION_EVENTS)
        ? [`${handler}: integration events`]
        : []),
      ...(handler !== "streamBus" && carries(handler, '"fromNoticeItem"') ? [`${handler}: notices`] : []),
    ]);
    expect(wrong).toEqual([]);
    // The checks see what they look for: the bus reads integration events and notices; intake has calendars.
    expect(carries("streamBus", INTEGRATION_EVENTS) && carries("streamBus", '"fromNoticeItem"')).toBe(true);
    expect(carries("intake", '"calendarRegistry"')).toBe(true);
  });

  it("carry the region table (every EU subdivision, 12 KB) only where a region is validated", () => {
    // `ES-GI` (Girona) stands for the EU's list: intake checks a complaint's region, a lookup never does.
    const carries = (handler: HandlerId) => bundleOf(handler).code.includes('"ES-GI"');
    const wrong = (["getComplaint", "queue", "staffGetComplaint", "streamBus", "reportsSla"] as const).filter(
      carries,
    );
    expect(wrong).toEqual([]);
    expect(carries("intake")).toBe(true);
  });

  it("carry zod/mini, never classic zod, and no locale but English (from the bundle's own source map)", () => {
    const zodSources = (handler: HandlerId): string[] => {
      const { dir } = bundleOf(handler);
      const map = JSON.parse(readFileSync(join(dir, "index.mjs.map"), "utf8")) as { sources: string[] };
      return map.sources.filter((s) => s.includes("node_modules/zod/"));
    };
    const wrong = (Object.keys(HANDLERS) as HandlerId[]).flatMap((handler) =>
      zodSources(handler)
        .filter(
          (s) => /\/zod\/v4\/classic\//.test(s) || (/\/zod\/v4\/locales\//.test(s) && !s.endsWith("/en.js")),
        )
        .map((s) => `${handler}: ${s}`),
    );
    expect(wrong).toEqual([]);
    // The check sees zod at all: every bundle parses with zod/mini and says so in English.
    expect(zodSources("queue").some((s) => s.includes("/zod/v4/mini/"))).toBe(true);
    expect(zodSources("queue").some((s) => s.endsWith("/zod/v4/locales/en.js"))).toBe(true);
  });

  it("carry zod's English messages only: the other locales are tree-shaken away", () => {
    // `import * as z` lets esbuild drop the 60-odd locales (~260 KB); `import { z }`, or reaching into
    // `z.core` at run time, keeps them all, because those namespace objects re-export `locales`.
    for (const handler of ["intake", "queue", "checkSlaClock"] as const) {
      const { code } = bundleOf(handler);
      expect(code, handler).toContain("Invalid input");
      expect(code, handler).not.toContain("无效输入");
    }
  });
});
