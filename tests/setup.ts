import "aws-sdk-client-mock-vitest/extend";

// The pinned SDK release warns that releases after January 2027 need Node 22; Lambda runs Node 22 and
// STACK-NOTES records the pin, so the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
