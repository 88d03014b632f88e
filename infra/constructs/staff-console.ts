import { join } from "node:path";
import { CustomResource, Duration, Lazy, Stack, Validations } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { writeConsoleSync } from "../../console/build";
import type { StageProfile } from "../stacks/settings";

export interface StaffConsoleProps {
  profile: StageProfile;
}

/** What the console is told at run time (`/console/config.json`): the API and the managed login. */
export interface ConsoleRuntime {
  apiUrl: string;
  /** `https://<api id>.execute-api.<region>.<suffix>`: what the CSP lets the page connect to. */
  apiOrigin: string;
  cognitoDomain: string;
  clientId: string;
}

/**
 * The staff workbench on AWS: a private S3 bucket (no public access, TLS only) read by CloudFront through
 * origin access control, served over HTTPS only with security headers (a strict Content-Security-Policy:
 * scripts and styles from the console's own origin, connections to the API and the Cognito managed login
 * only). The app is built by `console/build.ts` at synth and uploaded under `console/`; its run-time config
 * (API URL, Cognito domain and app client) is written beside it by `deploy`.
 */
export class StaffConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the only origin the API's CORS allows. */
  readonly origin: string;
  private readonly profile: StageProfile;
  private apiOrigin?: string;
  private loginOrigin?: string;

  constructor(scope: Construct, id: string, props: StaffConsoleProps) {
    super(scope, id);
    const { profile } = props;
    this.profile = profile;
    const accessLogs = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(90) }],
      removalPolicy: profile.removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "The server access log bucket of the console bucket; logging it into itself would loop.",
    });
    this.bucket = new Bucket(this, "Bucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `console-${profile.stage}/`,
      lifecycleRules: [{ id: "remove-replaced-builds", noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: profile.removalPolicy,
    });

    // The origins the page may connect to are known once the API and the login domain exist (deploy()).
    const csp = Lazy.string({
      produce: () =>
        [
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self' data:",
          `connect-src 'self' ${this.apiOrigin ?? ""} ${this.loginOrigin ?? ""}`.trim(),
          `form-action 'self' ${this.loginOrigin ?? ""}`.trim(),
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "object-src 'none'",
          "upgrade-insecure-requests",
        ].join("; "),
    });
    this.headers = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "Staff console: strict CSP, HSTS, no framing, no sniffing, no referrer",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });
    this.distribution = new Distribution(this, "Distribution", {
      comment: `complaints-${profile.stage} staff console`,
      defaultRootObject: "console/index.html",
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: `cloudfront-${profile.stage}/`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      // The app routes itself: a path under /console/ that is not a file is the app's page.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: "/console/index.html",
        ttl: Duration.seconds(10),
      })),
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason:
          "Bank staff sign in from branches and home offices in several countries; access is by Cognito login.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "A CloudFront web ACL must live in us-east-1; the console is static files, and every request it makes goes to the API, which has its regional WAF.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "The default *.cloudfront.net certificate is used until the bank's domain and ACM certificate are attached (then set minimumProtocolVersion TLSv1.2_2021); viewers are HTTPS only meanwhile.",
      },
    );
  }

  /** Uploads the app and its run-time config, and lets the CSP name the API and the login origins. */
  deploy(runtime: ConsoleRuntime): BucketDeployment {
    this.apiOrigin = runtime.apiOrigin;
    this.loginOrigin = `https://${runtime.cognitoDomain}`;
    const dist = writeConsoleSync(join(import.meta.dirname, "..", "..", "console", "dist"));
    const deployment = new BucketDeployment(this, "Upload", {
      destinationBucket: this.bucket,
      destinationKeyPrefix: "console/",
      sources: [
        Source.asset(dist),
        Source.jsonData("config.json", {
          apiUrl: runtime.apiUrl.replace(/\/$/, ""),
          cognito: {
            domain: runtime.cognitoDomain,
            clientId: runtime.clientId,
            redirectUri: `${this.origin}/console/`,
          },
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ["/console/*"],
      prune: true,
      memoryLimit: 256,
      // Its log group kept as every other one of the stage (the default would keep it two years).
      logGroup: new LogGroup(this, "UploadLogs", {
        retention: this.profile.logRetention,
        removalPolicy: this.profile.removalPolicy,
      }),
    });
    // Kept with the stage's other resources in prod (the bucket keeps the files either way).
    for (const child of deployment.node.children) {
      if (child instanceof CustomResource) child.applyRemovalPolicy(this.profile.removalPolicy);
    }
    // CDK's upload function (one per stack and memory size) runs at deploy time only, on CDK's own runtime
    // choice, with the role CDK gives it.
    const uploader = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (uploader) {
      const reason =
        "CDK's BucketDeployment custom resource: a deploy-time function that copies the built console from the CDK asset bucket into the console bucket and invalidates the distribution. Its role (basic execution, read of the asset, write of this bucket's objects) and its runtime are CDK's own.";
      const stack = Stack.of(this);
      const bucketId = stack.resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string;
      Validations.of(uploader).acknowledge(
        {
          id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
          reason,
        },
        ...[
          "Action::s3:GetBucket*",
          "Action::s3:GetObject*",
          "Action::s3:List*",
          "Action::s3:Abort*",
          "Action::s3:DeleteObject*",
          `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*`,
          `Resource::<${bucketId}.Arn>/*`,
          "Resource::*",
        ].map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })),
        { id: "AwsSolutions-L1", reason },
      );
    }
    return deployment;
  }
}
