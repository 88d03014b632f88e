import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import { NEXT, STATE, TRANSIENT_ERRORS } from "./contract";

/** The Lambdas the workflow calls, one per step. */
export interface ComplaintWorkflowFunctions {
  startHandling: IFunction;
  registerTask: IFunction;
  checkSlaClock: IFunction;
  closeComplaint: IFunction;
  markNeedsAttention: IFunction;
}

export interface ComplaintWorkflowProps {
  functions: ComplaintWorkflowFunctions;
  /** Execution logging; omitted when the definition is only rendered for the embedded engine. */
  logging?: { retention: logs.RetentionDays; removalPolicy: RemovalPolicy };
  tracingEnabled?: boolean;
  /** What happens to the state machine (and its running executions) when the stack is deleted. */
  removalPolicy?: RemovalPolicy;
}

const retryTransient = (task: sfn.TaskStateBase): void => {
  task.addRetry({
    errors: [...TRANSIENT_ERRORS],
    interval: Duration.seconds(2),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
};

/**
 * One Standard execution per complaint (execution name = complaint id). The workflow owns time: it
 * waits for staff on a task token whose timeout is the next SLA checkpoint, so time passes at zero cost
 * — no polling, no Wait-state ticks — and each checkpoint costs a fixed number of transitions.
 */
export class ComplaintWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ComplaintWorkflowProps) {
    super(scope, id);
    const fn = props.functions;

    const handlingFailed = new sfn.Fail(this, STATE.handlingFailed, {
      error: "ComplaintNeedsAttention",
      cause: "A step failed after its retries; the complaint is marked needs_attention for an operator.",
    });
    const markNeedsAttention = new tasks.LambdaInvoke(this, STATE.markNeedsAttention, {
      lambdaFunction: fn.markNeedsAttention,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: sfn.TaskInput.fromObject({
        "complaintId.$": "$$.Execution.Input.complaintId",
        "error.$": "$.error",
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryTransient(markNeedsAttention);
    markNeedsAttention.next(handlingFailed);

    const onFailure = (task: sfn.TaskStateBase): void => {
      retryTransient(task);
      task.addCatch(markNeedsAttention, { errors: [sfn.Errors.ALL], resultPath: "$.error" });
    };

    const startHandling = new tasks.LambdaInvoke(this, STATE.startHandling, {
      lambdaFunction: fn.startHandling,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    onFailure(startHandling);

    /** A callback stage: the token is stored on the complaint; the timeout is the stage's time box. */
    const callbackStage = (name: string, stage: "staff" | "customer" | "feedback") =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: fn.registerTask,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        retryOnServiceExceptions: false,
        payload: sfn.TaskInput.fromObject({
          "complaintId.$": "$.complaintId",
          taskToken: sfn.JsonPath.taskToken,
          stage,
        }),
        taskTimeout: sfn.Timeout.at("$.timeoutSeconds"),
      });
    const waitForStaff = callbackStage(STATE.waitForStaff, "staff");
    const waitForCustomer = callbackStage(STATE.waitForCustomer, "customer");
    const askForFeedback = callbackStage(STATE.askForFeedback, "feedback");

    const checkSlaClock = new tasks.LambdaInvoke(this, STATE.checkSlaClock, {
      lambdaFunction: fn.checkSlaClock,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: sfn.TaskInput.fromObject({ "complaintId.$": "$.complaintId" }),
    });
    onFailure(checkSlaClock);

    const closeComplaint = new tasks.LambdaInvoke(this, STATE.closeComplaint, {
      lambdaFunction: fn.closeComplaint,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: sfn.TaskInput.fromObject({ "complaintId.$": "$.complaintId" }),
    });
    onFailure(closeComplaint);
    closeComplaint.next(new sfn.Succeed(this, STATE.complaintClosed));

    // A timeout is not a failure: it is the SLA checkpoint (or the customer's reply window) arriving.
    waitForStaff.addCatch(checkSlaClock, { errors: [sfn.Errors.TIMEOUT], resultPath: "$.timeout" });
    waitForCustomer.addCatch(checkSlaClock, { errors: [sfn.Errors.TIMEOUT], resultPath: "$.timeout" });
    // No feedback within its window closes the complaint.
    askForFeedback.addCatch(closeComplaint, { errors: [sfn.Errors.TIMEOUT], resultPath: "$.timeout" });
    for (const stage of [waitForStaff, waitForCustomer, askForFeedback]) onFailure(stage);

    const whatNext = new sfn.Choice(this, STATE.whatNext)
      .when(sfn.Condition.stringEquals("$.next", NEXT.waitForStaff), waitForStaff)
      .when(sfn.Condition.stringEquals("$.next", NEXT.waitForCustomer), waitForCustomer)
      .when(sfn.Condition.stringEquals("$.next", NEXT.askForFeedback), askForFeedback)
      .when(sfn.Condition.stringEquals("$.next", NEXT.close), closeComplaint)
      .otherwise(markNeedsAttention);

    for (const step of [startHandling, waitForStaff, waitForCustomer, askForFeedback, checkSlaClock]) {
      step.next(whatNext);
    }

    if (props.logging) {
      this.logGroup = new logs.LogGroup(this, "ExecutionLogs", {
        retention: props.logging.retention,
        removalPolicy: props.logging.removalPolicy,
      });
    }

    this.stateMachine = new sfn.StateMachine(this, "StateMachine", {
      // Deleting the state machine would end the executions of every open complaint: keep it in prod.
      ...(props.removalPolicy ? { removalPolicy: props.removalPolicy } : {}),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(startHandling),
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      comment: "Bank complaint handling: one execution per complaint; the workflow owns SLA time.",
      tracingEnabled: props.tracingEnabled ?? false,
      ...(this.logGroup
        ? {
            logs: {
              destination: this.logGroup,
              level: sfn.LogLevel.ALL,
              // Execution data carries customer details; the log keeps states and errors only.
              includeExecutionData: false,
            },
          }
        : {}),
    });
  }
}
