/**
 * The playground page: two panels, each an activation from the registry (with its parameters) on the
 * same data and initial weights; Train runs full-batch steps on every animation frame and redraws the
 * loss, the decision boundaries and the dead/saturated unit counts. Nothing here names an activation:
 * the lists and parameter inputs come from the registry.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../../src';
import type { ActivationId, ParamSpec } from '../../../src';
import { SYNTHETIC, type SyntheticName } from '../../lib/synthetic';
import { boundarySpec, curvesSpec, LiveChart, lossSpec, unitsSpec } from './charts';
import { curves, DEFAULT_OPTIONS, Session, type ParamValues, type SessionOptions, type UnitCounts } from './session';
import * as internal from '../../../src/internal';

const STEPS_PER_FRAME = 4;
const DRAW_EVERY_FRAMES = 5;
const CLIP = 6;

const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document) => root.querySelector(selector) as T;

interface PanelState {
  name: 'A' | 'B';
  root: HTMLElement;
  activation: ActivationId;
  params: ParamValues;
  session?: Session;
  curves: LiveChart;
  boundary: LiveChart;
  units?: UnitCounts;
}

let running = false;
/** The training loop now running (resolved when none is), so Reset and Train wait for it to stop. */
let loopDone: Promise<void> = Promise.resolve();
/** Resets run one after another, in the order the controls changed. */
let resetQueue: Promise<void> = Promise.resolve();
/** Why the shared options are unusable (Train stays off until they are fixed), or ''. */
let optionsError = '';
let step = 0;
let frames = 0;
const lossChart = new LiveChart($('#loss-chart'), lossSpec());
const unitsChart = new LiveChart($('#units-chart'), unitsSpec());
const panels: PanelState[] = [];

function label(p: PanelState): string {
  return `${p.name}: ${p.activation}`;
}

function readOptions(): SessionOptions {
  const hidden = $<HTMLInputElement>('#hidden').value.split(',').map((s) => Number(s.trim()));
  if (hidden.length === 0 || hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 256)) {
    throw new Error(`hidden layers: give widths between 1 and 256, comma-separated. Received: '${$<HTMLInputElement>('#hidden').value}'`);
  }
  // valueAsNumber is NaN for an empty or unparsable field (Number('') would be 0).
  const learningRate = $<HTMLInputElement>('#lr').valueAsNumber;
  if (!(learningRate > 0 && learningRate <= 10)) throw new Error(`learning rate must be in (0, 10]. Received: ${$<HTMLInputElement>('#lr').value}`);
  const seed = $<HTMLInputElement>('#seed').valueAsNumber;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer. Received: ${$<HTMLInputElement>('#seed').value}`);
  return { ...DEFAULT_OPTIONS, dataset: $<HTMLSelectElement>('#dataset').value as SyntheticName, hidden, learningRate, seed };
}

/** One input per parameter of the activation, from its spec (number, nullable number, boolean). */
function paramInputs(p: PanelState): void {
  const box = $('.params', p.root);
  box.replaceChildren();
  const specs = act.get(p.activation).params as Record<string, ParamSpec>;
  for (const [name, spec] of Object.entries(specs)) {
    const field = document.createElement('label');
    field.title = spec.doc ?? '';
    const input = document.createElement('input');
    input.name = name;
    if (spec.type === 'boolean') {
      input.type = 'checkbox';
      input.checked = spec.default;
    } else {
      input.type = 'number';
      input.step = 'any';
      input.value = spec.default === null ? '' : String(spec.default);
      if (spec.nullable) input.placeholder = 'none';
    }
    input.addEventListener('change', () => {
      // Empty means null where the parameter allows it; otherwise an empty or unparsable field is
      // NaN, which the plugin rejects with its own error ("must be a finite number. Received: …").
      if (spec.type === 'boolean') p.params[name] = input.checked;
      else p.params[name] = input.value.trim() === '' && spec.nullable ? null : input.valueAsNumber;
      void resetAll();
    });
    field.append(`${name} `, input);
    box.append(field);
  }
  if (Object.keys(specs).length === 0) box.textContent = 'no parameters';
}

function buildPanel(name: 'A' | 'B', activation: ActivationId): PanelState {
  const root = $(`.panel[data-panel="${name}"]`);
  root.innerHTML = `
    <h2>${name}: <select class="activation" aria-label="activation ${name}"></select></h2>
    <div class="summary muted"></div>
    <div class="params"></div>
    <p class="error" role="alert"></p>
    <div class="chart curves"></div>
    <div class="chart boundary"></div>
    <div class="stats"></div>`;
  const select = $<HTMLSelectElement>('.activation', root);
  for (const def of act.all()) select.add(new Option(`${def.title} (${def.id})`, def.id));
  select.value = activation;
  const p: PanelState = {
    name,
    root,
    activation,
    params: {},
    curves: new LiveChart($('.curves', root), curvesSpec('f, f′ and f″')),
    boundary: new LiveChart($('.boundary', root), boundarySpec('Decision boundary')),
  };
  select.addEventListener('change', () => {
    p.activation = select.value as ActivationId;
    p.params = {};
    void resetAll();
  });
  return p;
}

async function drawCurves(p: PanelState): Promise<void> {
  const c = curves(p.activation, p.params);
  const rows: object[] = [];
  const clip = (v: number) => Math.max(-CLIP, Math.min(CLIP, v));
  c.x.forEach((x, i) => {
    for (const [curve, ys] of [['f', c.f], ['f′', c.d1], ['f″', c.d2]] as const) if (Number.isFinite(ys[i])) rows.push({ x, y: clip(ys[i]), curve });
  });
  await p.curves.replace(rows);
}

async function drawBoundary(p: PanelState): Promise<void> {
  if (!p.session) return;
  const { n, lo, hi, p: prob } = p.session.boundary();
  const h = (hi - lo) / (n - 1);
  const rows: object[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = lo + i * h;
      const y = lo + j * h;
      rows.push({ x: x - h / 2, x2: x + h / 2, y: y - h / 2, y2: y + h / 2, p: prob[j * n + i] });
    }
  }
  const d = p.session.data;
  for (let k = 0; k < d.n; k++) rows.push({ px: d.x[2 * k], py: d.x[2 * k + 1], label: d.y[k] });
  await p.boundary.replace(rows);
}

function describe(p: PanelState): void {
  const def = act.get(p.activation);
  $('.summary', p.root).textContent = `${def.formula.forward}. ${def.summary}`;
  const s = p.session;
  const u = p.units;
  const loss = s?.losses.length ? s.losses[s.losses.length - 1].toFixed(4) : '–';
  $('.stats', p.root).textContent = s
    ? `step ${step} · loss ${loss} · accuracy ${(100 * s.accuracy()).toFixed(1)} %` +
      (u ? ` · dead ${u.dead}/${u.units} · saturated ${u.saturated}/${u.units}` : '')
    : '';
}

async function drawUnits(): Promise<void> {
  const rows: object[] = [];
  for (const p of panels) {
    if (!p.session) continue;
    p.units = p.session.units();
    rows.push({ step, percent: (100 * p.units.dead) / p.units.units, panel: label(p), kind: 'dead' });
    rows.push({ step, percent: (100 * p.units.saturated) / p.units.units, panel: label(p), kind: 'saturated' });
  }
  await unitsChart.append(rows);
}

async function drawAll(): Promise<void> {
  await Promise.all(panels.map((p) => drawBoundary(p)));
  await drawUnits();
  panels.forEach(describe);
}

/** Stops training and, once the loop has stopped, makes new sessions for both panels. */
function resetAll(): Promise<void> {
  running = false;
  resetQueue = resetQueue.then(reset, reset);
  return resetQueue;
}

/** New sessions for both panels (same seed, so the same initial weights); drawn, not trained. */
async function reset(): Promise<void> {
  await loopDone;
  let options: SessionOptions;
  try {
    options = readOptions();
    optionsError = '';
  } catch (e) {
    // Keep the current sessions and charts; Train stays off until the options are fixed.
    optionsError = (e as Error).message;
    $('#error').textContent = optionsError;
    updateButtons();
    return;
  }
  step = 0;
  frames = 0;
  $('#error').textContent = '';
  for (const p of panels) {
    p.session?.dispose();
    p.session = undefined;
    p.units = undefined;
    $('.error', p.root).textContent = '';
    try {
      p.session = new Session(p.activation, p.params, options);
      await drawCurves(p);
    } catch (e) {
      $('.error', p.root).textContent = (e as Error).message;
    }
  }
  await lossChart.replace([]);
  await unitsChart.replace([]);
  await drawAll();
  updateButtons();
}

function updateButtons(): void {
  const ready = panels.every((p) => p.session) && !optionsError;
  $<HTMLButtonElement>('#train').disabled = running || !ready;
  $<HTMLButtonElement>('#pause').disabled = !running;
  $<HTMLButtonElement>('#reset').disabled = false;
  $('#status').textContent = running ? `training… step ${step}` : step ? `paused at step ${step}` : 'ready';
}

async function loop(): Promise<void> {
  try {
    while (running) {
      const rows: object[] = [];
      for (const p of panels) {
        p.session!.train(STEPS_PER_FRAME);
        const losses = p.session!.losses;
        for (let k = losses.length - STEPS_PER_FRAME; k < losses.length; k++) rows.push({ step: k + 1, loss: losses[k], panel: label(p) });
      }
      step += STEPS_PER_FRAME;
      frames++;
      await lossChart.append(rows);
      if (frames % DRAW_EVERY_FRAMES === 0) await drawAll();
      updateButtons();
      await tf.nextFrame();
    }
    await drawAll();
  } catch (e) {
    $('#error').textContent = `training stopped: ${(e as Error).message}`;
  } finally {
    running = false;
    updateButtons();
  }
}

/** What the end-to-end test reads (it drives the page through its controls). */
function state() {
  return {
    backend: tf.getBackend(),
    step,
    running,
    panels: panels.map((p) => ({
      activation: p.activation,
      losses: p.session ? [...p.session.losses] : [],
      units: p.units,
      usesPluginKernels: !!tf.getKernel(internal.kernelNames(p.activation).forward, tf.getBackend()),
      // The config of the model's first activation layer: what the parameter inputs reached.
      layerConfig: p.session?.model.layers.find((l) => l.getClassName().startsWith(internal.LAYER_PREFIX))?.getConfig(),
      error: $('.error', p.root).textContent,
    })),
    charts: Object.fromEntries(Array.from(document.querySelectorAll<HTMLElement>('.chart')).map((el, i) => [el.id || `${el.closest('.panel')?.getAttribute('data-panel')}-${el.classList[1]}-${i}`, Number(el.dataset.renders ?? 0)])),
  };
}

async function main(): Promise<void> {
  const wanted = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  if (!(await tf.setBackend(wanted).catch(() => false))) await tf.setBackend('cpu');
  await tf.ready();
  const backend = tf.getBackend();
  $<HTMLSelectElement>('#backend-select').value = backend;
  $<HTMLAnchorElement>('#check-link').href = `check.html?backend=${backend}`;
  $('#backend').textContent = `backend: ${backend} (${tf.getKernel(internal.kernelNames('gelu').forward, backend) ? "the plugin's float64 JavaScript kernels" : 'tfjs ops with explicit gradients (composite path)'}) · tfjs ${tf.version.tfjs}`;
  for (const name of Object.keys(SYNTHETIC)) $<HTMLSelectElement>('#dataset').add(new Option(name, name));
  $<HTMLSelectElement>('#dataset').value = DEFAULT_OPTIONS.dataset;
  panels.push(buildPanel('A', 'relu'), buildPanel('B', 'gelu'));
  panels.forEach(paramInputs);
  for (const id of ['#dataset', '#hidden', '#lr', '#seed']) $(id).addEventListener('change', () => void resetAll());
  $('#backend-select').addEventListener('change', () => {
    location.search = `?backend=${$<HTMLSelectElement>('#backend-select').value}`;
  });
  $('#train').addEventListener('click', async () => {
    await Promise.all([loopDone, resetQueue]);
    if (running || $<HTMLButtonElement>('#train').disabled) return;
    running = true;
    updateButtons();
    loopDone = loop();
  });
  $('#pause').addEventListener('click', () => {
    running = false;
    updateButtons();
  });
  $('#reset').addEventListener('click', () => void resetAll());
  for (const p of panels) $('.activation', p.root).addEventListener('change', () => paramInputs(p));
  await resetAll();
  (window as unknown as { playground: object }).playground = { state };
}

main().catch((e) => {
  $('#error').textContent = `playground failed to start: ${(e as Error).stack ?? e}`;
});
