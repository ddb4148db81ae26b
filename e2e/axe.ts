import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * Runs axe-core (from npm) in the page with its default rule set (WCAG A/AA and best practices)
 * and returns every violation, whatever its impact: issue 13 asks for none at all.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const require = createRequire(import.meta.url);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as { violations: AxeViolation[] };
  return result.violations;
}

/** One line per violation, with where and why, for a readable failure. */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string[] {
  return violations.map(
    (v) => `${where}: ${v.impact} ${v.id} (${v.help}) ×${v.nodes.length}, e.g. ${v.nodes[0]?.target.join(' ')}: ${v.nodes[0]?.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`,
  );
}
