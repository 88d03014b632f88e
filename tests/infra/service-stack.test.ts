import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { STREAM_FILTERS } from "../../functions/adapters/dynamodb/stream-records";
import { CHANNELS } from "../../functions/domain/codes";
import { defaultRoutingTable } from "../../functions/domain/routing";
import {
  HANDLERS,
  type HandlerId,
  STREAM_CONSUMERS,
  type StreamConsumerId,
  WORKFLOW_HANDLERS,
} from "../../functions/handlers/catalog";
import { ROUTES } from "../../functions/http/routes";
import { CHANNEL_LIMITS } from "../../infra/constructs/complaint-api";
import { SENDS_TASK_RESPONSES, STARTS_EXECUTIONS, TABLE_ACCESS } from "../../infra/stacks/service-stack";
import { STATE, TRANSIENT_ERRORS } from "../../workflows/contract";
import {
  expectToMatch,
  logicalIdOf,
  renderIntrinsic,
  resourcesOf,
  type Synthesized,
  synthesize,
} from "./synth";

let synth: Synthesized;
let template: Template;

beforeAll(() => {
  synth = synthesize({ stage: "dev" });
  template = synth.serviceTemplate;
});

const handlerIds = Object.keys(HANDLERS) as HandlerId[];
const fnId = (handler: HandlerId) => logicalIdOf(synth, synth.service.functions[handler]);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** The statements of every policy attached to a function's role. */
const statementsOf = (handler: HandlerId): Statement[] => {
  const fn = template.toJSON().Resources[fnId(handler)];
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  return resourcesOf(template, "AWS::IAM::Policy")
    .filter(([, p]) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, p]) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actionsOf = (handler: HandlerId): string[] =>
  statementsOf(handler).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe("state machine", () => {
  const definition = () => {
    const [, props] = resourcesOf(template, "AWS::StepFunctions::StateMachine")[0]!;
    return renderIntrinsic(props.DefinitionString);
  };
  type States = Record<string, { Type: string; Resource?: string; Retry?: { ErrorEquals: string[] }[] }>;

  it("starts with 'Start handling' and waits for staff on a task token timed out at the next SLA checkpoint", () => {
    expectToMatch(
      definition(),
      Match.serializedJson(
        Match.objectLike({
          StartAt: STATE.startHandling,
          States: Match.objectLike({
            [STATE.startHandling]: Match.objectLike({
              Type: "Task",
              Resource: `<${fnId("startHandling")}.Arn>`,
            }),
            [STATE.waitForStaff]: Match.objectLike({
              Type: "Task",
              Resource: "arn:<AWS::Partition>:states:::lambda:invoke.waitForTaskToken",
              TimeoutSecondsPath: "$.timeoutSeconds",
              Parameters: Match.objectLike({
                FunctionName: `<${fnId("registerTask")}.Arn>`,
                Payload: Match.objectLike({ "taskToken.$": "$$.Task.Token", stage: "staff" }),
              }),
              Catch: Match.arrayWith([
                Match.objectLike({ ErrorEquals: ["States.Timeout"], Next: STATE.checkSlaClock }),
              ]),
            }),
            [STATE.checkSlaClock]: Match.objectLike({ Resource: `<${fnId("checkSlaClock")}.Arn>` }),
            [STATE.closeComplaint]: Match.objectLike({ Resource: `<${fnId("closeComplaint")}.Arn>` }),
            [STATE.markNeedsAttention]: Match.objectLike({ Resource: `<${fnId("markNeedsAttention")}.Arn>` }),
          }),
        }),
      ),
    );
  });

  it("retries only named transient errors, never States.ALL", () => {
    const states = (JSON.parse(definition()) as { States: States }).States;
    const retries = Object.values(states).flatMap((s) => s.Retry ?? []);
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      expect(retry.ErrorEquals).not.toContain("States.ALL");
      expect(retry.ErrorEquals).toEqual([...TRANSIENT_ERRORS]);
    }
  });

  it("is Standard, traced, and logs ALL events without execution data", () => {
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: "ALL",
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
  });
});

describe("functions", () => {
  it("exist once per catalog handler, on Node 22 / arm64 with active tracing and their own log group", () => {
    for (const handler of handlerIds) {
      const fn = template.toJSON().Resources[fnId(handler)];
      const workflowStep = (WORKFLOW_HANDLERS as readonly string[]).includes(handler);
      expectToMatch(
        fn.Properties,
        Match.objectLike({
          Runtime: "nodejs22.x",
          Architectures: ["arm64"],
          MemorySize: 512,
          // The recompute job and a report rebuild run for minutes; the reconciler's run and the stream
          // consumers' batches get a minute.
          Timeout:
            handler === "calendarJobs" || handler === "reportsRebuild"
              ? 300
              : handler === "reconcile" || handler in STREAM_CONSUMERS
                ? 60
                : workflowStep
                  ? 30
                  : 10,
          TracingConfig: { Mode: "Active" },
          Handler: "index.handler",
          Description: HANDLERS[handler].description,
          LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp(`^Fn${handler}Logs`) } },
          Environment: {
            Variables: Match.objectLike({
              TABLE_NAME: "complaints-dev",
              POWERTOOLS_SERVICE_NAME: "complaints",
              POWERTOOLS_METRICS_NAMESPACE: "ComplaintHandling",
              LOG_LEVEL: "DEBUG",
              NODE_OPTIONS: "--enable-source-maps",
            }),
          },
        }),
      );
    }
    // Beside them, only CDK's own function that uploads the staff console to its bucket.
    const others = resourcesOf(template, "AWS::Lambda::Function")
      .map(([id]) => id)
      .filter((id) => !handlerIds.some((h) => fnId(h) === id));
    expect(others).toEqual([expect.stringMatching(/^CustomCDKBucketDeployment/)]);
  });

  it("tell the functions that start or resume executions which state machine to use, and no one else", () => {
    const stateMachineId = logicalIdOf(synth, synth.service.workflow.stateMachine);
    const users: readonly string[] = [...STARTS_EXECUTIONS, ...SENDS_TASK_RESPONSES];
    expect(users).toEqual(expect.arrayContaining(["streamWorkflows", "reconcile", "staffAction"]));
    // Intake makes one durable write: it starts nothing (the stream does).
    expect(users).not.toContain("intake");
    for (const handler of handlerIds) {
      const vars = template.toJSON().Resources[fnId(handler)].Properties.Environment.Variables;
      const needs = users.includes(handler);
      expect(vars.STATE_MACHINE_ARN, handler).toEqual(needs ? { Ref: stateMachineId } : undefined);
    }
  });

  it("give the channel handlers a map from every channel's API key id to its channel", () => {
    const keyIds = new Map(
      resourcesOf(template, "AWS::ApiGateway::ApiKey").map(([id, p]) => [`<${id}>`, String(p.Name)]),
    );
    const channelHandlers = new Set(ROUTES.filter((r) => r.auth === "channel").map((r) => r.handler));
    for (const handler of handlerIds) {
      const raw =
        template.toJSON().Resources[fnId(handler)].Properties.Environment.Variables.CHANNEL_API_KEYS;
      if (!channelHandlers.has(handler)) {
        expect(raw, handler).toBeUndefined();
        continue;
      }
      const map = JSON.parse(renderIntrinsic(raw)) as Record<string, string>;
      expect(Object.values(map).sort()).toEqual([...CHANNELS].sort());
      for (const [keyRef, channel] of Object.entries(map)) {
        expect(keyIds.get(keyRef)).toBe(`complaints-dev-${channel}`);
      }
    }
  });
});

describe("permissions", () => {
  const stateMachineRef = () => ({ Ref: logicalIdOf(synth, synth.service.workflow.stateMachine) });

  it("let the stream's workflow consumer and the reconciler start executions, and no other function", () => {
    const starters = ["streamWorkflows", "reconcile"] as const;
    for (const handler of starters) {
      // (CDK merges the reconciler's grants on the state machine into one statement.)
      const starts = statementsOf(handler).filter(
        (st) =>
          st.Effect === "Allow" &&
          [st.Action].flat().includes("states:StartExecution") &&
          JSON.stringify(st.Resource) === JSON.stringify(stateMachineRef()),
      );
      expect(starts, handler).toHaveLength(1);
    }
    for (const handler of handlerIds.filter((h) => !(starters as readonly string[]).includes(h))) {
      expect(actionsOf(handler), handler).not.toContain("states:StartExecution");
    }
  });

  it("let the reconciler, and no other function, list failed executions and redrive them", () => {
    expect(actionsOf("reconcile")).toEqual(
      expect.arrayContaining(["states:ListExecutions", "states:RedriveExecution"]),
    );
    for (const handler of handlerIds.filter((h) => h !== "reconcile")) {
      expect(actionsOf(handler), handler).not.toContain("states:RedriveExecution");
    }
  });

  it("let staff actions and the customer's reply and feedback answer task tokens, and no other function", () => {
    const responders: readonly HandlerId[] = SENDS_TASK_RESPONSES;
    expect(responders).toEqual(expect.arrayContaining(["staffAction", "customerReply", "feedback"]));
    for (const handler of responders) {
      expectToMatch(
        statementsOf(handler),
        Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(["states:SendTaskFailure", "states:SendTaskSuccess"]),
            Resource: stateMachineRef(),
          }),
        ]),
      );
    }
    for (const handler of handlerIds.filter((h) => !responders.includes(h))) {
      expect(actionsOf(handler), handler).not.toContain("states:SendTaskSuccess");
    }
  });

  it("give read-only handlers no write actions and writers PutItem on the table and its indexes' reads", () => {
    const tableArn = "arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/complaints-dev";
    for (const handler of handlerIds) {
      const dynamo = statementsOf(handler).filter(
        (s) => JSON.stringify(s.Action).includes("dynamodb:") && !JSON.stringify(s.Action).includes("Stream"),
      );
      if (TABLE_ACCESS[handler] === "none") {
        // Stream consumers that only hand messages on read the stream, never the table.
        expect(dynamo, handler).toEqual([]);
        continue;
      }
      const resources = dynamo.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
      expect(resources.map(renderIntrinsic).sort(), handler).toEqual([tableArn, `${tableArn}/index/*`]);
      const actions = actionsOf(handler);
      expect(actions).toContain("dynamodb:Query");
      if (TABLE_ACCESS[handler] === "read") {
        for (const write of ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]) {
          expect(actions, handler).not.toContain(write);
        }
      } else {
        expect(actions, handler).toEqual(expect.arrayContaining(["dynamodb:PutItem", "dynamodb:UpdateItem"]));
      }
    }
    for (const handler of [
      "getComplaint",
      "queue",
      "staffGetComplaint",
      "verifyAudit",
      "reconcile",
    ] as const) {
      expect(TABLE_ACCESS[handler]).toBe("read");
    }
  });

  it("let each function write only its own log group", () => {
    for (const handler of handlerIds) {
      expectToMatch(
        statementsOf(handler),
        Match.arrayWith([
          Match.objectLike({
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: { "Fn::GetAtt": [Match.stringLikeRegexp(`^Fn${handler}Logs`), "Arn"] },
          }),
        ]),
      );
    }
    // No AWSLambdaBasicExecutionRole: it would let a function write any log group. The one exception is
    // CDK's console upload function (a deploy-time custom resource; acknowledged for cdk-nag with reasons).
    for (const [id, role] of resourcesOf(template, "AWS::IAM::Role")) {
      if (id.startsWith("CustomCDKBucketDeployment")) continue;
      expect(JSON.stringify(role.ManagedPolicyArns ?? [])).not.toContain("AWSLambdaBasicExecutionRole");
    }
  });

  it("never allow a '*' or 'service:*' action anywhere", () => {
    for (const [id, policy] of resourcesOf(template, "AWS::IAM::Policy")) {
      for (const s of (policy.PolicyDocument as { Statement: Statement[] }).Statement) {
        for (const action of Array.isArray(s.Action) ? s.Action : [s.Action]) {
          expect(action, id).not.toBe("*");
          expect(action, id).not.toMatch(/:\*$/);
        }
      }
    }
  });
});

describe("the outbox: delivery from the table's change stream", () => {
  const consumers = Object.keys(STREAM_CONSUMERS) as StreamConsumerId[];
  const mappings = () => resourcesOf(template, "AWS::Lambda::EventSourceMapping");

  it("maps each consumer to the table's stream, filtered to what it delivers, with partial batches, bisect, bounded retries and a dead-letter queue", () => {
    expect(mappings()).toHaveLength(consumers.length);
    const queueId = logicalIdOf(synth, synth.service.streamDelivery.deadLetters);
    for (const consumer of consumers) {
      const found = mappings().find(
        ([, p]) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: fnId(consumer) }),
      );
      if (!found) throw new Error(`no event source mapping for ${consumer}`);
      const [, mapping] = found;
      expect(mapping).toMatchObject({
        StartingPosition: "TRIM_HORIZON",
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 86_400,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } } },
      });
      const patterns = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
        JSON.parse(f.Pattern),
      );
      expect(patterns).toEqual(STREAM_FILTERS[STREAM_CONSUMERS[consumer]]);
      expect(JSON.stringify(mapping.EventSourceArn)).toMatch(/StreamArn/);
    }
    // The workflow consumer takes only records that start an execution; the bus consumer notices too.
    expect(STREAM_FILTERS.workflow).toEqual([
      { eventName: ["INSERT"], dynamodb: { NewImage: { outWorkflow: { N: [{ exists: true }] } } } },
    ]);
    expect(STREAM_FILTERS.bus).toEqual(
      expect.arrayContaining([
        { eventName: ["INSERT"], dynamodb: { NewImage: { sk: { S: [{ prefix: "NOTICE#" }] } } } },
      ]),
    );
  });

  it("keeps failed batches in an encrypted, SSL-only queue for 14 days", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    const queueId = logicalIdOf(synth, synth.service.streamDelivery.deadLetters);
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("lets only the stream consumers read the stream, and only the bus consumer write (the notice ledger)", () => {
    for (const handler of handlerIds) {
      const reads = actionsOf(handler).includes("dynamodb:DescribeStream");
      expect(reads, handler).toBe(handler in STREAM_CONSUMERS);
    }
    expect(TABLE_ACCESS.streamBus).toBe("readWrite");
    for (const c of ["streamWorkflows", "streamAlerts", "streamMetrics"] as const)
      expect(TABLE_ACCESS[c]).toBe("none");
  });
});

describe("REST API", () => {
  /** Full path of every API Gateway resource, by logical id. */
  const pathsById = () => {
    const resources = new Map(resourcesOf(template, "AWS::ApiGateway::Resource"));
    const pathOf = (id: string): string => {
      const r = resources.get(id)!;
      const parent = r.ParentId as { Ref?: string };
      return `${parent.Ref ? pathOf(parent.Ref) : ""}/${r.PathPart}`;
    };
    return new Map([...resources.keys()].map((id) => [id, pathOf(id)]));
  };
  const methodFor = (method: string, path: string) => {
    const paths = pathsById();
    const found = resourcesOf(template, "AWS::ApiGateway::Method").filter(
      ([, p]) => p.HttpMethod === method && paths.get((p.ResourceId as { Ref: string }).Ref) === path,
    );
    expect(found, `${method} ${path}`).toHaveLength(1);
    return found[0]![1];
  };

  it("has exactly the routes of the route table, each integrated with its handler", () => {
    for (const route of ROUTES) {
      const method = methodFor(route.method, route.path);
      expect(JSON.stringify(method.Integration)).toContain(fnId(route.handler));
    }
    // And one CORS preflight (OPTIONS) per staff path, for the console (see staff-console.test.ts).
    const staffPaths = new Set(ROUTES.filter((r) => r.auth === "staff").map((r) => r.path));
    expect(resourcesOf(template, "AWS::ApiGateway::Method")).toHaveLength(ROUTES.length + staffPaths.size);
  });

  it("requires an API key on channel routes and the Cognito authorizer on staff routes", () => {
    const [authorizerId] = resourcesOf(template, "AWS::ApiGateway::Authorizer")[0]!;
    const [validatorId] = resourcesOf(template, "AWS::ApiGateway::RequestValidator")[0]!;
    for (const route of ROUTES) {
      const method = methodFor(route.method, route.path);
      expectToMatch(
        method,
        Match.objectLike(
          route.auth === "channel"
            ? { ApiKeyRequired: true, AuthorizationType: "NONE" }
            : { AuthorizationType: "COGNITO_USER_POOLS", AuthorizerId: { Ref: authorizerId } },
        ),
      );
      expect(method.ApiKeyRequired === true).toBe(route.auth === "channel");
      expect(method.RequestValidatorId).toEqual({ Ref: validatorId });
    }
    template.hasResourceProperties("AWS::ApiGateway::Authorizer", {
      Type: "COGNITO_USER_POOLS",
      IdentitySource: "method.request.header.Authorization",
      ProviderARNs: [{ "Fn::GetAtt": [Match.stringLikeRegexp("^ApiStaffUsers"), "Arn"] }],
    });
    template.hasResourceProperties("AWS::ApiGateway::RequestValidator", {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it("binds one API key per channel to its own usage plan with throttle and daily quota", () => {
    const plans = new Map(resourcesOf(template, "AWS::ApiGateway::UsagePlan"));
    const keys = new Map(resourcesOf(template, "AWS::ApiGateway::ApiKey"));
    const bindings = resourcesOf(template, "AWS::ApiGateway::UsagePlanKey");
    for (const channel of CHANNELS) {
      const limits = CHANNEL_LIMITS[channel];
      const [keyId] = [...keys].find(([, k]) => k.Name === `complaints-dev-${channel}`)!;
      const binding = bindings.find(([, b]) => (b.KeyId as { Ref: string }).Ref === keyId);
      expect(binding, channel).toBeDefined();
      const plan = plans.get((binding![1].UsagePlanId as { Ref: string }).Ref)!;
      expectToMatch(
        plan,
        Match.objectLike({
          Throttle: { RateLimit: limits.rateLimit, BurstLimit: limits.burstLimit },
          Quota: { Limit: limits.dailyQuota, Period: "DAY" },
          ApiStages: [Match.objectLike({ Stage: { Ref: Match.stringLikeRegexp("DeploymentStage") } })],
        }),
      );
    }
    expect(keys.size).toBe(CHANNELS.length);
  });

  it("logs access as JSON, traces, and throttles the stage", () => {
    template.hasResourceProperties("AWS::ApiGateway::Stage", {
      StageName: "dev",
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.serializedJson(
          Match.objectLike({ requestId: "$context.requestId", apiKeyId: "$context.identity.apiKeyId" }),
        ),
      },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: "*",
          ResourcePath: "/*",
          MetricsEnabled: true,
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        }),
      ],
    });
    const [, stage] = resourcesOf(template, "AWS::ApiGateway::Stage")[0]!;
    const destination = renderIntrinsic(
      (stage.AccessLogSetting as { DestinationArn: unknown }).DestinationArn,
    );
    expect(destination).toMatch(
      /^arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<ApiAccessLogs\w+>$/,
    );
  });

  it("puts the stage behind a regional WAF web ACL with the managed and rate-based rules", () => {
    template.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "REGIONAL",
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: "AWS",
              Name: "AWSManagedRulesCommonRuleSet",
            }),
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesKnownBadInputsRuleSet" },
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: "IP" }) },
        }),
      ]),
    });
    const [aclId] = resourcesOf(template, "AWS::WAFv2::WebACL")[0]!;
    const [, association] = resourcesOf(template, "AWS::WAFv2::WebACLAssociation")[0]!;
    expect(association.WebACLArn).toEqual({ "Fn::GetAtt": [aclId, "Arn"] });
    expect(renderIntrinsic(association.ResourceArn)).toMatch(
      /^arn:<AWS::Partition>:apigateway:<AWS::Region>::\/restapis\/<Api\w+>\/stages\/<ApiDeploymentStage\w+>$/,
    );
  });

  it("has a staff user pool with MFA, the Plus tier and a group per team and role", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      UserPoolTier: "PLUS",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ RequireSymbols: true, MinimumLength: 14 }) },
    });
    const groups = resourcesOf(template, "AWS::Cognito::UserPoolGroup").map(([, g]) => g.GroupName);
    const teams = new Set(defaultRoutingTable.map((r) => r.team));
    expect(groups.sort()).toEqual(
      [...[...teams].map((t) => `team:${t}`), "role:agent", "role:supervisor", "role:manager"].sort(),
    );
    expect(groups).toContain("team:cards");
  });
});

describe("schedule and alerts", () => {
  it("runs the reconciler every 5 minutes", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [fnId("reconcile"), "Arn"] } })],
    });
  });

  it("runs the calendar jobs every minute and the calendar horizon once a day", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [fnId("calendarJobs"), "Arn"] } })],
    });
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "cron(5 0 * * ? *)",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [fnId("calendarHorizon"), "Arn"] } })],
    });
  });

  it("alarms to the managers' encrypted, SSL-only topic on the first failed execution", () => {
    const [topicId] = resourcesOf(template, "AWS::SNS::Topic")[0]!;
    template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: { "Fn::GetAtt": [Match.stringLikeRegexp("^ManagerAlertsKey"), "Arn"] },
    });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    // The alarm comes from the shared alarm spec (functions/observability), as a metric-math alarm.
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: "AWS/States",
              MetricName: "ExecutionsFailed",
              Dimensions: [
                {
                  Name: "StateMachineArn",
                  Value: { Ref: logicalIdOf(synth, synth.service.workflow.stateMachine) },
                },
              ],
            },
            Period: 300,
            Stat: "Sum",
          }),
        }),
      ]),
      Threshold: 0,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [{ Ref: topicId }],
    });
    // CloudWatch must be able to use the topic's key, or alarm notifications are silently dropped.
    template.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          }),
        ]),
      },
    });
  });

  it("has no e-mail subscription unless one is configured", () => {
    template.resourceCountIs("AWS::SNS::Subscription", 0);
  });
});
