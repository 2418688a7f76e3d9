export type Env = Record<string, string | undefined>;

/** A configuration problem: the key, what is wrong, how to fix it. Never the value. */
export interface ConfigIssue {
  key: string;
  problem: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(renderConfigIssues(issues));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function renderConfigIssues(issues: ConfigIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.key}: ${issue.problem}`);
  return [
    `The configuration has ${issues.length} problem${issues.length === 1 ? '' : 's'}:`,
    ...lines,
    'Set these in the environment or in a .env file (see .env.example), then start again.',
  ].join('\n');
}
