import { parseArgs } from "node:util";
import { CHANNELS, type Channel, ROLES, type Role } from "../../functions/domain/codes";
import { apiKeyFor, issueStaffToken, loadSecret } from "./auth";

// `npm run --silent token -- --team cards --role agent` prints a staff JWT;
// `npm run --silent token -- --channel mobile_app` prints that channel system's API key. Alone on stdout.
const { values } = parseArgs({
  options: {
    team: { type: "string", multiple: true },
    role: { type: "string" },
    channel: { type: "string" },
    subject: { type: "string" },
    "expires-in": { type: "string" },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`token: ${message}\n`);
  process.exit(2);
};

const secret = loadSecret();
if (values.channel) {
  if (!(CHANNELS as readonly string[]).includes(values.channel))
    fail(`--channel must be one of ${CHANNELS.join(", ")}`);
  process.stdout.write(`${apiKeyFor(secret, values.channel as Channel)}\n`);
} else {
  if (!values.role || !(ROLES as readonly string[]).includes(values.role))
    fail(`--role must be one of ${ROLES.join(", ")}`);
  const teams = (values.team ?? []).flatMap((t) => t.split(",")).filter(Boolean);
  if (teams.length === 0 && values.role !== "manager")
    fail("--team is required (repeat it or separate teams with commas)");
  try {
    const token = await issueStaffToken(secret, {
      teams,
      role: values.role as Role,
      ...(values.subject ? { subject: values.subject } : {}),
      ...(values["expires-in"] ? { expiresIn: values["expires-in"] } : {}),
    });
    process.stdout.write(`${token}\n`);
  } catch (e) {
    // A lifetime jose cannot read, or one past the 12 hours the local gateway accepts.
    fail(`--expires-in: ${(e as Error).message}`);
  }
}
