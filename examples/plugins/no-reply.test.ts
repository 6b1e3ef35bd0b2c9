import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFileWithPlugins, type AnyPolicy, type Finding } from 'heed';
import { policySpec } from 'heed/testing';

/**
 * The no-reply plugin (no-reply.js, plain JavaScript) as users load it: through the example
 * configuration's "plugins", then specified with `heed/testing`; and its journey replayed by the
 * built binary, as `npm run examples:plugin` does.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const loaded = await loadConfigFileWithPlugins(join(here, 'heed.config.json'));
const noReply = loaded.policies.find((p) => p.name === 'no-reply') as AnyPolicy;

const notice = (at: string, id: string, channel = 'web') => ({ id, type: 'NoReplyNotice', at, data: { channel, wording: 'You will not receive a reply.' } });
const feedback = (at: string, feedbackId: string, channel = 'web') => ({ id: feedbackId, type: 'FeedbackReceived', at, data: { feedbackId, channel } });

describe('no-reply plugin', () => {
  it('is loaded from the example configuration after the built-in policies, with its option', () => {
    expect(loaded.policies.map((p) => p.name)).toEqual(['inattention', 'promises', 'burden', 'survey', 'feedback', 'no-reply']);
    expect(loaded.config.options.get('no-reply')).toEqual({ breachAfter: 2 });
  });

  it('warns the moment the customer is told there will be no reply', async () => {
    await policySpec(noReply)
      .given([notice('2018-03-06T10:30:00Z', 'n1')])
      .thenFindings([
        {
          kind: 'no-reply.declared',
          matterId: null,
          detectedAt: '2018-03-06T10:30:00.000Z',
          severity: 'warning',
          message: 'The customer was told up front that feedback on the web channel gets no reply ("You will not receive a reply.").',
          evidence: ['n1'],
          details: { channel: 'web', feedback: [], unanswered: [] },
        },
      ]);
  });

  it('becomes a breach when breachAfter messages into that channel are unanswered, and eases when one is answered', async () => {
    const spec = policySpec(noReply).given([notice('2018-03-06T10:30:00Z', 'n1'), feedback('2018-03-06T10:31:00Z', 'f1'), feedback('2018-03-08T09:00:00Z', 'f2')]);
    await spec.thenFindings([{ severity: 'breach', detectedAt: '2018-03-08T09:00:00.000Z', evidence: ['n1', 'f1', 'f2'], details: { unanswered: ['f1', 'f2'] } }]);
    await spec
      .when([{ type: 'FeedbackAnswered', at: '2018-03-09T09:00:00Z', data: { feedbackId: 'f1' } }])
      .thenFindings([{ severity: 'warning', details: { feedback: ['f1', 'f2'], unanswered: ['f2'] } }]);
  });

  it('ignores feedback on other channels, and feedback before any notice', async () => {
    await policySpec(noReply, { options: { breachAfter: 1 } })
      .given([feedback('2018-03-01T09:00:00Z', 'f0'), notice('2018-03-06T10:30:00Z', 'n1'), feedback('2018-03-07T09:00:00Z', 'f1', 'email')])
      .thenFindings([{ severity: 'warning', details: { feedback: [] } }]);
  });

  it('refuses a notice on a channel the contract does not know', async () => {
    await policySpec(noReply).given([notice('2018-03-06T10:30:00Z', 'n1', 'carrier-pigeon')]).thenRejects({ rule: 'invalid-value' });
  });
});

describe('npm run examples:plugin', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it('replays the plugin’s journey with the built binary and the configuration that loads the plugin', () => {
    expect(pkg.scripts['examples:plugin']).toBe('node dist/cli/main.js replay examples/plugins/no-reply.jsonl --config examples/plugins/heed.config.json');
    const run = spawnSync('sh', ['-c', `${pkg.scripts['examples:plugin']} --format json`], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.kind === 'no-reply.declared')).toEqual([
      expect.objectContaining({ customerId: 'webinar-host', severity: 'breach', detectedAt: '2018-03-14T15:05:00.000Z', details: expect.objectContaining({ unanswered: ['fb-mute', 'fb-echo'] }) }),
    ]);
    // The built-in feedback policy sees the same messages from its side.
    expect(findings.filter((f) => f.kind === 'feedback.unanswered')).toHaveLength(3);
  });
});
