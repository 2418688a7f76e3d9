/** Pure: a ComfyUI run's state as the neutral progress the bot renders. */
import type { EngineProgress } from '../types.js';
import type { ComfyRunState } from './events.js';

/** The neutral progress of a run: its place in line, or its step, pass and preview. */
export function toEngineProgress(state: ComfyRunState, livePreview: boolean): EngineProgress {
  if (state.phase === 'queued') {
    // `ahead` counts the running prompt too: one ahead means ours is next.
    return { state: 'queued', position: state.ahead === null ? undefined : Math.max(1, state.ahead) };
  }
  const progress = state.progress;
  if (progress === null) return { state: 'running' };
  const within = progress.max > 0 ? Math.min(1, progress.value / progress.max) : 0;
  const stages = Math.max(1, progress.stages);
  return {
    state: 'running',
    fraction: Math.min(1, (progress.stage - 1 + within) / stages),
    step: progress.value,
    steps: progress.max,
    stage: stages > 1 ? { index: progress.stage, count: stages } : undefined,
    preview: livePreview && state.preview !== null ? state.preview : undefined,
  };
}
