import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/http/routes";
import { renderIntrinsic, resourcesOf, type Synthesized, synthesize } from "./synth";

/**
 * The staff console on AWS: a private bucket read by CloudFront through origin access control, HTTPS
 * only, security headers with a strict CSP; sign-in through the Cognito managed login with an app client
 * for the authorization code flow (no secret: PKCE); the staff routes answer CORS for the console's origin
 * only. (cdk-nag runs on the whole app in checks-and-bundles.test.ts.)
 */
let synth: Synthesized;
let t: Template;
beforeAll(() => {
  synth = synthesize({ stage: "dev" });
  t = synth.serviceTemplate;
}, 120_000);

const distributionConfig = () => {
  const [[, props] = ["", {}]] = resourcesOf(t, "AWS::CloudFront::Distribution");
  return props.DistributionConfig as Record<string, unknown> & {
    DefaultCacheBehavior: Record<string, unknown>;
    Origins: Record<string, unknown>[];
  };
};

describe("the staff console's hosting", () => {
  it("keeps the bucket private: every public access blocked, TLS only", () => {
    const buckets = resourcesOf(t, "AWS::S3::Bucket");
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const [, b] of buckets) {
      expect(b.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    // The bucket policy lets CloudFront (this distribution only) read, and refuses plain HTTP.
    t.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Condition: { StringEquals: { "AWS:SourceArn": Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it("serves it through CloudFront with origin access control, HTTPS only, and the SPA's page", () => {
    t.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    t.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: "s3",
        SigningBehavior: "always",
        SigningProtocol: "sigv4",
      },
    });
    const config = distributionConfig();
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe("https-only");
    expect(config.Origins[0]?.OriginAccessControlId).toBeDefined();
    expect(config.DefaultRootObject).toBe("console/index.html");
    expect(config.CustomErrorResponses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ErrorCode: 404,
          ResponseCode: 200,
          ResponsePagePath: "/console/index.html",
        }),
      ]),
    );
  });

  it("sends security headers with a strict Content-Security-Policy naming only the API and the login", () => {
    const [[, policy] = ["", {}]] = resourcesOf(t, "AWS::CloudFront::ResponseHeadersPolicy");
    const security = (policy.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, any> })
      .SecurityHeadersConfig;
    const csp = renderIntrinsic(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self';/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).toMatch(
      /connect-src 'self' https:\/\/<ApiConsole[^>]*>\.execute-api\.|connect-src 'self' https:\/\/<Api[^>]*>\.execute-api\./,
    );
    expect(csp).toContain(".amazoncognito.com");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 31_536_000,
      IncludeSubdomains: true,
    });
    expect(security.FrameOptions).toMatchObject({ FrameOption: "DENY" });
    expect(security.ContentTypeOptions).toMatchObject({ Override: true });
    expect(security.ReferrerPolicy).toMatchObject({ ReferrerPolicy: "no-referrer" });
  });

  it("uploads the built app under console/ with its run-time config", () => {
    t.hasResourceProperties("Custom::CDKBucketDeployment", {
      DestinationBucketKeyPrefix: "console/",
      DistributionPaths: ["/console/*"],
    });
  });
});

describe("sign-in and CORS", () => {
  it("gives the console a public app client of the managed login: authorization code only, no secret", () => {
    t.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      SupportedIdentityProviders: ["COGNITO"],
      CallbackURLs: [Match.objectLike({ "Fn::Join": Match.anyValue() })],
    });
    const clients = resourcesOf(t, "AWS::Cognito::UserPoolClient").filter(([, c]) => c.AllowedOAuthFlows);
    expect(clients).toHaveLength(1);
    const [, client = {}] = clients[0] ?? [];
    expect(renderIntrinsic((client.CallbackURLs as unknown[])[0])).toMatch(
      /^https:\/\/<Console.*DomainName>\/console\/$/,
    );
    t.hasResourceProperties("AWS::Cognito::UserPoolDomain", { ManagedLoginVersion: 2 });
    t.resourceCountIs("AWS::Cognito::ManagedLoginBranding", 1);
  });

  it("answers CORS preflights of the staff routes for the console's origin only, none on channel routes", () => {
    const options = resourcesOf(t, "AWS::ApiGateway::Method").filter(([, m]) => m.HttpMethod === "OPTIONS");
    const staffPaths = new Set(ROUTES.filter((r) => r.auth === "staff").map((r) => r.path));
    expect(options.length).toBe(staffPaths.size);
    for (const [, m] of options) {
      const integration = m.Integration as {
        IntegrationResponses: { ResponseParameters: Record<string, unknown> }[];
      };
      const params = integration.IntegrationResponses[0]?.ResponseParameters ?? {};
      expect(renderIntrinsic(params["method.response.header.Access-Control-Allow-Origin"])).toMatch(
        /^'https:\/\/<Console.*DomainName>'$/,
      );
      expect(params["method.response.header.Access-Control-Allow-Headers"]).toBe(
        "'Authorization,Content-Type,If-Match,Idempotency-Key'",
      );
    }
  });

  it("tells the staff handlers the console's origin (their answers carry it), and no channel handler", () => {
    const fns = resourcesOf(t, "AWS::Lambda::Function");
    const withCors = fns.filter(
      ([, f]) => (f.Environment as { Variables?: Record<string, unknown> })?.Variables?.CORS_ALLOW_ORIGIN,
    );
    const staffHandlers = new Set(ROUTES.filter((r) => r.auth === "staff").map((r) => r.handler));
    expect(withCors.length).toBe(staffHandlers.size);
    for (const [, f] of withCors) {
      const origin = (f.Environment as { Variables: Record<string, unknown> }).Variables.CORS_ALLOW_ORIGIN;
      expect(renderIntrinsic(origin)).toMatch(/^https:\/\/<Console.*DomainName>$/);
    }
  });
});
