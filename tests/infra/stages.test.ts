import { App } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { TABLE } from "../../functions/adapters/dynamodb/table-schema";
import { settingsFromContext } from "../../infra/stacks/settings";
import { resourcesOf, type Synthesized, synthesize } from "./synth";

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthesize({ stage: "dev" });
  prod = synthesize({
    stage: "prod",
    alarmEmail: "complaints-managers@example.com",
    defaultJurisdiction: "GB",
  });
});

describe("the complaints table", () => {
  it.each(["dev", "prod"] as const)(
    "in %s is declared from TABLE: keys, GSIs (ALL), TTL, PITR, on-demand",
    (stage) => {
      const template = (stage === "dev" ? dev : prod).statefulTemplate;
      const index = (i: { name: string; partitionKey: string; sortKey: string }) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: "HASH" },
          { AttributeName: i.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      });
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        TableName: `complaints-${stage}`,
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        GlobalSecondaryIndexes: Object.values(TABLE.indexes).map(index),
      });
    },
  );

  it("is encrypted with its own rotating KMS key", () => {
    const [keyId] = resourcesOf(dev.statefulTemplate, "AWS::KMS::Key")[0]!;
    dev.statefulTemplate.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    dev.statefulTemplate.hasResourceProperties("AWS::DynamoDB::Table", {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: "KMS",
        KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
      },
    });
  });

  it("is deletion-protected and retained in prod, removable in dev", () => {
    prod.statefulTemplate.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    prod.statefulTemplate.hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain" });
    dev.statefulTemplate.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Delete",
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    dev.statefulTemplate.hasResource("AWS::KMS::Key", { DeletionPolicy: "Delete" });
  });

  it("lives in a stack that is termination-protected in prod only", () => {
    expect(prod.assembly.getStackByName(prod.stateful.stackName).terminationProtection).toBe(true);
    expect(dev.assembly.getStackByName(dev.stateful.stackName).terminationProtection).toBeFalsy();
    expect(prod.assembly.getStackByName(prod.service.stackName).terminationProtection).toBeFalsy();
  });
});

describe("dev and prod differ only where they should", () => {
  it("keep logs a month in dev and a year in prod, removed with the stack only in dev", () => {
    for (const [synth, days, policy] of [
      [dev, 30, "Delete"],
      [prod, 365, "Retain"],
    ] as const) {
      const groups = Object.values(synth.serviceTemplate.findResources("AWS::Logs::LogGroup"));
      // one per function, the workflow's execution log, the API access log
      expect(groups.length).toBeGreaterThanOrEqual(3);
      for (const group of groups) {
        expect(group.Properties.RetentionInDays).toBe(days);
        expect(group.DeletionPolicy).toBe(policy);
      }
    }
  });

  it("protect the staff user pool from deletion in prod", () => {
    prod.serviceTemplate.hasResource("AWS::Cognito::UserPool", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ DeletionProtection: "ACTIVE" }),
    });
    dev.serviceTemplate.hasResource("AWS::Cognito::UserPool", {
      DeletionPolicy: "Delete",
      Properties: Match.objectLike({ DeletionProtection: "INACTIVE" }),
    });
  });

  it("log at INFO in prod and DEBUG in dev, and pass the default jurisdiction when given", () => {
    // Every function but CDK's own console upload (a deploy-time custom resource, see staff-console.ts).
    const ours = (template: typeof prod.serviceTemplate) =>
      resourcesOf(template, "AWS::Lambda::Function").filter(
        ([id]) => !id.startsWith("CustomCDKBucketDeployment"),
      );
    for (const [, fn] of ours(prod.serviceTemplate)) {
      const vars = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars).toMatchObject({
        LOG_LEVEL: "INFO",
        DEFAULT_JURISDICTION: "GB",
        TABLE_NAME: "complaints-prod",
      });
    }
    for (const [, fn] of ours(dev.serviceTemplate)) {
      const vars = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars.LOG_LEVEL).toBe("DEBUG");
      expect(vars.DEFAULT_JURISDICTION).toBeUndefined();
    }
  });

  it("subscribe the configured e-mail address to the managers' topic", () => {
    const [topicId] = resourcesOf(prod.serviceTemplate, "AWS::SNS::Topic")[0]!;
    prod.serviceTemplate.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "complaints-managers@example.com",
      TopicArn: { Ref: topicId },
    });
    dev.serviceTemplate.resourceCountIs("AWS::SNS::Subscription", 0);
  });
});

describe("context", () => {
  const read = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

  it("defaults to dev with nothing optional set", () => {
    expect(read({})).toEqual({ stage: "dev", alarmEmail: undefined, defaultJurisdiction: undefined });
  });

  it("reads prod, an alarm e-mail and a default jurisdiction", () => {
    expect(read({ stage: "prod", alarmEmail: "ops@bank.example", defaultJurisdiction: "EU" })).toEqual({
      stage: "prod",
      alarmEmail: "ops@bank.example",
      defaultJurisdiction: "EU",
    });
  });

  it("reads intake's provisioned concurrency in prod only, as a whole number from 1 to 100", () => {
    expect(read({ stage: "prod", intakeProvisionedConcurrency: "5" })).toMatchObject({
      intakeProvisionedConcurrency: 5,
    });
    expect(() => read({ intakeProvisionedConcurrency: "5" })).toThrow(/prod stage only/);
    for (const bad of ["0", "101", "2.5", "five"])
      expect(() => read({ stage: "prod", intakeProvisionedConcurrency: bad }), bad).toThrow(/1 to 100/);
  });

  it("rejects an unknown stage, a malformed e-mail and an unknown jurisdiction", () => {
    expect(() => read({ stage: "production" })).toThrow(/stage/);
    expect(() => read({ alarmEmail: "not-an-address" })).toThrow(/alarmEmail/);
    expect(() => read({ defaultJurisdiction: "FR" })).toThrow(/defaultJurisdiction/);
  });
});

describe("intake's provisioned concurrency (off by default)", () => {
  it("is absent unless asked for: no alias, no provisioned environments", () => {
    for (const synth of [dev, prod]) synth.serviceTemplate.resourceCountIs("AWS::Lambda::Alias", 0);
  });

  it("when asked for in prod, keeps N environments on a live alias that the API invokes", () => {
    const warm = synthesize({ stage: "prod", intakeProvisionedConcurrency: 3 });
    warm.serviceTemplate.hasResourceProperties("AWS::Lambda::Alias", {
      Name: "live",
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
    });
    const [aliasId] = resourcesOf(warm.serviceTemplate, "AWS::Lambda::Alias")[0]!;
    // POST /complaints goes to the alias (its permission is the alias's), not to $LATEST.
    const permissions = resourcesOf(warm.serviceTemplate, "AWS::Lambda::Permission").filter(
      ([, p]) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: aliasId }),
    );
    expect(permissions.length).toBeGreaterThan(0);
  });
});

describe("dev and prod: what is kept, and who is told", () => {
  it("retain every stateful resource in prod and remove all of them with the stack in dev", () => {
    for (const [synth, policy] of [
      [dev, "Delete"],
      [prod, "Retain"],
    ] as const) {
      for (const template of [synth.statefulTemplate, synth.serviceTemplate]) {
        const withPolicy = Object.entries(
          template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>,
        )
          .filter(([, r]) => r.DeletionPolicy !== undefined)
          .map(([id, r]) => [id, r.DeletionPolicy]);
        // The state machine is among them: deleting it would end the executions of every open complaint.
        expect(withPolicy.map(([id]) => id).some((id) => String(id).startsWith("WorkflowStateMachine"))).toBe(
          template === synth.serviceTemplate,
        );
        expect(withPolicy.length).toBeGreaterThan(0);
        expect(withPolicy.filter(([, p]) => p !== policy)).toEqual([]);
      }
    }
  });

  it("point every alarm at the managers' topic in both stages (only prod has a subscriber)", () => {
    for (const synth of [dev, prod]) {
      const [topicId] = resourcesOf(synth.serviceTemplate, "AWS::SNS::Topic")[0]!;
      const alarms = resourcesOf(synth.serviceTemplate, "AWS::CloudWatch::Alarm");
      expect(alarms.length).toBeGreaterThan(0);
      for (const [id, alarm] of alarms) expect(alarm.AlarmActions, id).toEqual([{ Ref: topicId }]);
    }
  });

  it("synthesize with exactly the feature flags aws-cdk-lib recommends for its version (cdk.json)", async () => {
    const { CURRENTLY_RECOMMENDED_FLAGS } = await import("aws-cdk-lib/cx-api");
    const { readFileSync } = await import("node:fs");
    const context = JSON.parse(readFileSync("cdk.json", "utf8")).context as Record<string, unknown>;
    // An aws-cdk-lib upgrade that recommends new flags fails here: adopt them (or not) on purpose.
    expect(context).toEqual(CURRENTLY_RECOMMENDED_FLAGS);
  });
});
