import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.js';

/** The value of one sample line, e.g. `sdbot_jobs_total{state="queued"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetrics', () => {
  it('counts job state changes by state, starting every state at zero', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.jobState('queued');
    metrics.jobState('queued');
    metrics.jobState('running');
    metrics.jobState('succeeded');
    const text = await metrics.render();
    expect(sample(text, 'sdbot_jobs_total{state="queued"}')).toBe(2);
    expect(sample(text, 'sdbot_jobs_total{state="running"}')).toBe(1);
    expect(sample(text, 'sdbot_jobs_total{state="succeeded"}')).toBe(1);
    expect(sample(text, 'sdbot_jobs_total{state="failed"}')).toBe(0);
    expect(sample(text, 'sdbot_jobs_total{state="retried"}')).toBe(0);
  });

  it('reports the queue length and running jobs as gauges that go down again', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.queueLength(5);
    metrics.queueLength(2);
    metrics.runningJobs(1);
    const text = await metrics.render();
    expect(sample(text, 'sdbot_queue_length')).toBe(2);
    expect(sample(text, 'sdbot_jobs_running')).toBe(1);
  });

  it('records generation time per backend and model in a histogram', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.generation('http://gpu1:7860', 'sdxl', 4);
    metrics.generation('http://gpu1:7860', 'sdxl', 12);
    metrics.generation('http://gpu1:7860', 'sdxl', Number.NaN);
    const text = await metrics.render();
    const labels = 'backend="http://gpu1:7860",model="sdxl"';
    expect(sample(text, `sdbot_generation_seconds_count{${labels}}`)).toBe(2);
    expect(sample(text, `sdbot_generation_seconds_sum{${labels}}`)).toBe(16);
    expect(sample(text, `sdbot_generation_seconds_bucket{le="5",${labels}}`)).toBe(1);
    expect(sample(text, `sdbot_generation_seconds_bucket{le="20",${labels}}`)).toBe(2);
  });

  it('flips a backend between up and down and counts Discord errors by code', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.backendUp('http://gpu1:7860', true);
    metrics.backendUp('http://gpu2:7860', true);
    metrics.backendUp('http://gpu2:7860', false);
    metrics.discordError(50013);
    metrics.discordError('50013');
    metrics.discordError('network');
    const text = await metrics.render();
    expect(sample(text, 'sdbot_backend_up{backend="http://gpu1:7860"}')).toBe(1);
    expect(sample(text, 'sdbot_backend_up{backend="http://gpu2:7860"}')).toBe(0);
    expect(sample(text, 'sdbot_discord_api_errors_total{code="50013"}')).toBe(2);
    expect(sample(text, 'sdbot_discord_api_errors_total{code="network"}')).toBe(1);
  });

  it('keeps two instances apart and includes process metrics by default', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.jobState('failed');
    expect(sample(await first.render(), 'sdbot_jobs_total{state="failed"}')).toBe(1);
    const text = await second.render();
    expect(sample(text, 'sdbot_jobs_total{state="failed"}')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(first.contentType).toMatch(/^text\/plain/);
  });
});
