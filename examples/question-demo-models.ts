/**
 * The models the question graph's agents run on without a provider key (examples/question-graph.ts):
 * scripted (FunctionModel), doing what a real model would. The ask model asks the questions below
 * in turn, counting the ones it asked in its own conversation (which the graph keeps in its state,
 * so a run resumed in another process asks the next one); the evaluate model knows their answers
 * and judges the answer in the prompt, as a structured output (the output tool's call).
 */
import { FunctionModel } from 'schemantic/testing';
import { latestPrompt } from './latest-prompt.js';

interface ScriptedQuestion {
  readonly question: string;
  /** The right answers, lower case. */
  readonly answers: readonly string[];
  readonly right: string;
  readonly wrong: (answer: string) => string;
}

const QUESTIONS: readonly ScriptedQuestion[] = [
  {
    question: 'What is the capital of France?',
    answers: ['paris'],
    right: 'Well done, Paris is the capital of France.',
    wrong: (answer) => `${answer} is not the capital of France.`,
  },
  { question: 'What is 1 + 1?', answers: ['2', 'two'], right: 'Well done, 1 + 1 = 2', wrong: (answer) => `${answer} is not 1 + 1.` },
  {
    question: 'How many legs does a spider have?',
    answers: ['8', 'eight'],
    right: 'Well done, a spider has eight legs.',
    wrong: (answer) => `A spider does not have ${answer} legs.`,
  },
];

/** The ask agent's model: the next question, by how many it asked before in this conversation. */
export const askDemoModel = new FunctionModel(
  (messages) => {
    const asked = messages.filter((m) => m.kind === 'response').length;
    return QUESTIONS[asked % QUESTIONS.length]!.question;
  },
  { name: 'ask-demo' },
);

/** The evaluate agent's model: reads the question and the answer from the prompt, and judges it. */
export const evaluateDemoModel = new FunctionModel(
  (messages, info) => {
    const prompt = latestPrompt(messages);
    const question = unescapeXml(/<question>([\s\S]*?)<\/question>/.exec(prompt)?.[1] ?? '');
    const answer = unescapeXml(/<answer>([\s\S]*?)<\/answer>/.exec(prompt)?.[1] ?? '').trim();
    const known = QUESTIONS.find((q) => q.question === question);
    const correct = known !== undefined && known.answers.includes(answer.toLowerCase().replace(/[.!]+$/, ''));
    const comment = known === undefined ? `I do not know the answer to ${JSON.stringify(question)}.` : correct ? known.right : known.wrong(answer);
    const output = info.outputTools[0]!.name;
    return [{ kind: 'tool-call', toolName: output, args: { correct, comment }, toolCallId: `evaluate-${messages.length}` }];
  },
  { name: 'evaluate-demo' },
);

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
