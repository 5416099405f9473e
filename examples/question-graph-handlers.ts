/**
 * The question graph's handlers (schemas/question-graph.yaml, generated as
 * generated/graphs/question.ts): one per node, each typed by the generated `QuestionHandlers`, so a
 * handler can return only a step to one of its node's declared successors (or `next.end(...)`
 * where the node may end). The agents come in as dependencies, each on the model the app picks;
 * their conversations live in the state, so that a run resumed in another process goes on with them.
 */
import type { AskQuestionAgent, Conversation, EvaluateAnswerAgent, QuestionHandlers, QuestionState } from '../generated/index.js';

/** What the handlers read as `ctx.deps`: the two agents. */
export interface QuestionDeps {
  readonly ask: AskQuestionAgent;
  readonly evaluate: EvaluateAnswerAgent;
  /** Where the reprimand's comment goes (the console by default). */
  readonly say?: (line: string) => void;
}

/** The state a new run starts with. */
export function freshQuestionState(): QuestionState {
  return {};
}

export const questionHandlers: QuestionHandlers<QuestionDeps> = {
  // Runs the ask agent (the node's `agent:`), on its conversation so far: it asks a new question.
  async ask(ctx, next) {
    const result = await ctx.deps.ask.run('Ask a simple question with a single correct answer.', {
      messageHistory: history(ctx.state.ask_conversation),
    });
    ctx.state.ask_conversation = JSON.parse(result.allMessagesJson()) as Conversation;
    ctx.state.question = result.output;
    return next.answer({ question: result.output });
  },

  // Waits for the user's answer (`waits_for`): the run stops before this node, and a resume brings
  // the answer as `ctx.reply`, checked against its schema (a non-empty string).
  answer(ctx, next) {
    return next.evaluate({ answer: ctx.reply });
  },

  // Runs the evaluate agent: a structured verdict ends the run, or goes on to the reprimand.
  async evaluate(ctx, next) {
    const prompt = `<question>${escapeXml(ctx.state.question ?? '')}</question>\n<answer>${escapeXml(ctx.input.answer)}</answer>`;
    const result = await ctx.deps.evaluate.run(prompt, { messageHistory: history(ctx.state.evaluate_conversation) });
    ctx.state.evaluate_conversation = JSON.parse(result.allMessagesJson()) as Conversation;
    if (result.output.correct) return next.end(result.output.comment);
    return next.reprimand({ comment: result.output.comment });
  },

  reprimand(ctx, next) {
    (ctx.deps.say ?? console.log)(`Comment: ${ctx.input.comment}`);
    delete ctx.state.question;
    return next.ask();
  },
};

/** A conversation kept in the state, as the JSON text `messageHistory` takes (and checks); none at first. */
function history(conversation: Conversation | undefined): string | undefined {
  return conversation === undefined ? undefined : JSON.stringify(conversation);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
