import { Duration, Stack, Validations } from "aws-cdk-lib";
import {
  AccessLogField,
  AccessLogFormat,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Model,
  Period,
  ResponseType,
  RestApi,
  UsagePlan,
} from "aws-cdk-lib/aws-apigateway";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from "aws-cdk-lib/aws-cognito";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { CfnWebACL, CfnWebACLAssociation } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { CHANNELS, type Channel, ROLES } from "../../functions/domain/codes";
import { defaultRoutingTable } from "../../functions/domain/routing";
import type { HandlerId } from "../../functions/handlers/catalog";
import {
  GATEWAY_RESPONSES,
  type GatewayResponseType,
  gatewayErrorBody,
} from "../../functions/http/gateway-responses";
import { ROUTES } from "../../functions/http/routes";
import type { StageProfile } from "../stacks/settings";
import { apiGatewayModelSchema } from "./request-models";

/** Per channel system: steady rate and burst (requests/s) and a daily quota, enforced on its API key. */
export const CHANNEL_LIMITS: Record<Channel, { rateLimit: number; burstLimit: number; dailyQuota: number }> =
  {
    branch: { rateLimit: 20, burstLimit: 40, dailyQuota: 50_000 },
    online_banking: { rateLimit: 20, burstLimit: 40, dailyQuota: 50_000 },
    mobile_app: { rateLimit: 20, burstLimit: 40, dailyQuota: 50_000 },
    phone_centre: { rateLimit: 20, burstLimit: 40, dailyQuota: 50_000 },
    wechat: { rateLimit: 20, burstLimit: 40, dailyQuota: 50_000 },
    regulator_referral: { rateLimit: 5, burstLimit: 10, dailyQuota: 5_000 },
  };

/** Requests per source IP per 5 minutes before WAF blocks: above any one channel's usage plan. */
export const WAF_RATE_LIMIT_PER_IP = 10_000;

/** Cognito groups staff belong to: one per team the routing table can assign, one per role. */
export const staffGroupNames = (): string[] => [
  ...[...new Set(defaultRoutingTable.map((rule) => rule.team))].map((team) => `team:${team}`),
  ...ROLES.map((role) => `role:${role}`),
];

export interface ComplaintApiProps {
  profile: StageProfile;
  /** Every handler a route names; the routes come from `ROUTES`, never from here. */
  functions: Record<HandlerId, IFunction>;
  /**
   * The staff console's origin (`https://<distribution>`): the one origin the staff routes answer CORS
   * for, and where the console's app client of the managed login returns to.
   */
  consoleOrigin?: string;
}

/** The headers a browser sends the staff routes beyond the simple ones (see docs/api.md). */
export const CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key"];

/**
 * The REST API, built by walking the route table: channel routes need the channel system's API key
 * (bound to its usage plan), staff routes a Cognito ID token. Access-logged as JSON, traced, validated,
 * throttled at the stage, and behind a regional WAF web ACL.
 */
export class ComplaintApi extends Construct {
  readonly api: RestApi;
  readonly userPool: UserPool;
  readonly staffClient: UserPoolClient;
  /** The console's app client: authorization code with PKCE through the managed login, no secret. */
  readonly consoleClient?: UserPoolClient;
  readonly loginDomain?: UserPoolDomain;
  readonly webAcl: CfnWebACL;
  /** API Gateway API key id -> channel: what the channel handlers receive as `CHANNEL_API_KEYS`. */
  readonly channelByKeyId: Record<string, Channel> = {};

  constructor(scope: Construct, id: string, props: ComplaintApiProps) {
    super(scope, id);
    const { profile } = props;
    const prefix = `complaints-${profile.stage}`;

    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: profile.logRetention,
      removalPolicy: profile.removalPolicy,
    });

    this.api = new RestApi(this, "Api", {
      restApiName: prefix,
      description: "Bank complaint handling: channel intake and staff handling",
      endpointTypes: [EndpointType.REGIONAL],
      apiKeySourceType: ApiKeySourceType.HEADER,
      // The account-wide API Gateway logging role belongs to the platform, not to one app (see APIG6 below).
      cloudWatchRole: false,
      deployOptions: {
        stageName: profile.stage,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // Ids, never bodies or headers: the caller's key id or subject says who, the request id links to traces.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            extendedRequestId: AccessLogField.contextExtendedRequestId(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
            requestTime: AccessLogField.contextRequestTime(),
            sourceIp: AccessLogField.contextIdentitySourceIp(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            integrationError: AccessLogField.contextIntegrationErrorMessage(),
            errorType: AccessLogField.contextErrorResponseType(),
            validationError: AccessLogField.contextErrorValidationErrorString(),
            apiKeyId: AccessLogField.contextIdentityApiKeyId(),
            staffSubject: AccessLogField.contextAuthorizerClaims("sub"),
            wafStatus: AccessLogField.contextWafResponseCode(),
          }),
        ),
      },
    });

    this.userPool = this.staffUserPool(profile);
    this.staffClient = this.userPool.addClient("StaffClient", {
      authFlows: { userSrp: true },
      // SRP only (the CLI and scripts): CDK's default would also open the implicit OAuth flow to
      // example.com, live as soon as the pool has a login domain. Browsers use the console's client.
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    const staffAuthorizer = new CognitoUserPoolsAuthorizer(this, "StaffAuthorizer", {
      cognitoUserPools: [this.userPool],
      identitySource: "method.request.header.Authorization",
      resultsCacheTtl: Duration.minutes(5),
    });

    const origin = props.consoleOrigin;
    if (origin) {
      this.loginDomain = this.userPool.addDomain("StaffLogin", {
        cognitoDomain: { domainPrefix: `complaints-${profile.stage}-${Stack.of(this).account}` },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      this.consoleClient = this.userPool.addClient("ConsoleClient", {
        generateSecret: false,
        preventUserExistenceErrors: true,
        authFlows: {},
        oAuth: {
          // The browser holds no secret: the console sends a PKCE S256 challenge with every sign-in.
          flows: { authorizationCodeGrant: true },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
          callbackUrls: [`${origin}/console/`],
          logoutUrls: [`${origin}/console/`],
        },
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        idTokenValidity: Duration.hours(1),
        accessTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.hours(12),
        enableTokenRevocation: true,
      });
      new CfnManagedLoginBranding(this, "LoginBranding", {
        userPoolId: this.userPool.userPoolId,
        clientId: this.consoleClient.userPoolClientId,
        useCognitoProvidedValues: true,
      });
    }

    const validator = this.api.addRequestValidator("BodyAndParams", {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    // One model per handler: a handler behind two routes (attachments, channel and staff) shares its body's.
    const models = new Map<string, Model>();
    for (const route of ROUTES) {
      const resource = this.api.root.resourceForPath(route.path);
      const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const requestParameters = Object.fromEntries(pathParams.map((p) => [`method.request.path.${p}`, true]));
      const integration = new LambdaIntegration(props.functions[route.handler], { allowTestInvoke: false });
      // The body's model is the handler's own zod schema, in the draft 4 API Gateway validates with.
      const body = route.request?.body;
      const model = body
        ? (models.get(route.handler) ??
          this.api.addModel(`Model-${route.handler}`, {
            contentType: "application/json",
            modelName: `${route.handler.charAt(0).toUpperCase()}${route.handler.slice(1)}Request`,
            schema: apiGatewayModelSchema(body),
          }))
        : undefined;
      if (model) models.set(route.handler, model);
      const requestModels = model ? { "application/json": model } : undefined;
      const method =
        route.auth === "channel"
          ? resource.addMethod(route.method, integration, {
              operationName: route.summary,
              apiKeyRequired: true,
              authorizationType: AuthorizationType.NONE,
              requestValidator: validator,
              requestParameters,
              ...(requestModels ? { requestModels } : {}),
            })
          : resource.addMethod(route.method, integration, {
              operationName: route.summary,
              authorizer: staffAuthorizer,
              authorizationType: AuthorizationType.COGNITO,
              requestValidator: validator,
              requestParameters,
              ...(requestModels ? { requestModels } : {}),
            });
      if (origin && route.auth === "staff" && !resource.node.tryFindChild("OPTIONS")) {
        const preflight = resource.addCorsPreflight({
          allowOrigins: [origin],
          allowHeaders: CORS_ALLOW_HEADERS,
          allowMethods: ["GET", "POST", "PUT"],
          exposeHeaders: ["ETag", "Idempotent-Replayed", "x-amzn-RequestId"],
          maxAge: Duration.hours(1),
        });
        Validations.of(preflight).acknowledge(
          ...["AwsSolutions-APIG4", "AwsSolutions-COG4"].map((id) => ({
            id,
            reason:
              "A CORS preflight (OPTIONS) carries no credentials by the Fetch standard; it answers only the console's origin, and the staff route it precedes requires the Cognito token.",
          })),
        );
      }
      if (route.auth === "channel") {
        const reason =
          "Channel routes are called by the bank's channel systems, server to server, with an API key bound " +
          "to that channel's usage plan; the handler maps the verified key id to the channel and lets a " +
          "channel read only its own complaints. Staff routes use the Cognito authorizer.";
        Validations.of(method).acknowledge(
          { id: "AwsSolutions-APIG4", reason },
          { id: "AwsSolutions-COG4", reason },
        );
      }
    }

    for (const channel of CHANNELS) {
      const limits = CHANNEL_LIMITS[channel];
      const key = new ApiKey(this, `Key-${channel}`, {
        apiKeyName: `${prefix}-${channel}`,
        description: `Channel system '${channel}': submits and reads its own complaints`,
      });
      const plan = new UsagePlan(this, `Plan-${channel}`, {
        name: `${prefix}-${channel}`,
        description: `Throttle and daily quota of channel system '${channel}'`,
        throttle: { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit },
        quota: { limit: limits.dailyQuota, period: Period.DAY },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      plan.addApiKey(key);
      this.channelByKeyId[key.keyId] = channel;
    }

    // What API Gateway answers itself (bad key, bad token, validator, throttling) in the API's error shape,
    // from the same table the local gateway answers with.
    for (const [type, response] of Object.entries(GATEWAY_RESPONSES)) {
      this.api.addGatewayResponse(`Response-${type}`, {
        type: ResponseType.of(type),
        statusCode: String(response.status),
        responseHeaders: {
          "Content-Type": "'application/json'",
          // The console reads the gateway's own errors (401 on an expired token) from its origin.
          ...(origin ? { "Access-Control-Allow-Origin": `'${origin}'`, Vary: "'Origin'" } : {}),
        },
        templates: { "application/json": gatewayErrorBody(type as GatewayResponseType) },
      });
    }

    this.webAcl = this.webAclFor(prefix);
    new CfnWebACLAssociation(this, "WebAclAssociation", {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    Validations.of(this.api.deploymentStage).acknowledge({
      id: "AwsSolutions-APIG6",
      reason:
        "Execution logging needs the region-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), " +
        "a singleton owned by the account baseline, not by one app. Every request is in the JSON access log " +
        "(status, latency, integration and validation errors, WAF status), traced in X-Ray, and logged by " +
        "its Lambda.",
    });
  }

  /** The channel key map as the JSON the channel handlers parse (`CHANNEL_API_KEYS`). */
  channelApiKeysJson(): string {
    return Stack.of(this).toJsonString(this.channelByKeyId);
  }

  private staffUserPool(profile: StageProfile): UserPool {
    const pool = new UserPool(this, "StaffUsers", {
      userPoolName: `complaints-${profile.stage}-staff`,
      // Staff are provisioned by administrators (or federated later); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: profile.isProd,
      removalPolicy: profile.removalPolicy,
    });
    for (const groupName of staffGroupNames()) {
      new UserPoolGroup(this, `Group-${groupName.replace(":", "-")}`, {
        userPool: pool,
        groupName,
        description: groupName.startsWith("team:") ? "Complaint-handling team" : "Staff role",
      });
    }
    return pool;
  }

  private webAclFor(prefix: string): CfnWebACL {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (name: string, priority: number, excludedBodyRule?: string) => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name,
          ...(excludedBodyRule
            ? { ruleActionOverrides: [{ name: excludedBodyRule, actionToUse: { count: {} } }] }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    return new CfnWebACL(this, "WebAcl", {
      name: `${prefix}-api`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${prefix}-api`),
      rules: [
        // The common set blocks bodies over 8 KB; complaints may be longer (our cap, MAX_BODY_BYTES, is
        // 64 KB and the handlers enforce it), so that one rule only counts.
        managed("AWSManagedRulesCommonRuleSet", 0, "SizeRestrictions_BODY"),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 1),
        {
          name: "RateLimitPerSourceIp",
          priority: 2,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: WAF_RATE_LIMIT_PER_IP, aggregateKeyType: "IP" } },
          visibilityConfig: visibility("RateLimitPerSourceIp"),
        },
      ],
    });
  }
}
