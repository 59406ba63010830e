// A metric chart (uPlot) that grows as metrics arrive. Points are queued and drawn at most once
// per animation frame, so a history of 10,000 reports arriving at once costs one setData, and
// uPlot draws only the pixels it needs however many points there are.
import uPlot from '/assets/uplot/uPlot.esm.js';
import { h, fill } from './dom.js';

const COLORS = ['#2456c8', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0b7285', '#c2255c'];

export class MetricChart {
  /**
   * @param id the element id (tests find charts by it)
   * @param title shown above the chart
   * @param matches which metric keys belong on this chart
   */
  constructor(id, title, matches) {
    this.matches = matches;
    this.xs = [];
    this.series = new Map(); // key -> values aligned with xs
    this.plot = null;
    this.pending = false;
    this.empty = h('p', { class: 'state', text: 'No ' + title + ' reported yet.' });
    this.box = h('div', { class: 'chart-box' }, this.empty);
    this.el = h(
      'section',
      { class: 'card chart', id, 'data-testid': id, 'data-points': '0', 'aria-label': title },
      h('h2', { text: title }),
      this.box,
    );
    this.resize = new ResizeObserver(() => this.plot && this.plot.setSize(this.size()));
    this.resize.observe(this.box);
  }

  /** Adds one MetricView (epoch -1 is the final summary, not a point on the curve). */
  add(metric) {
    if (metric.epoch < 0 || !metric.metrics) return;
    const keys = Object.keys(metric.metrics).filter(
      (k) => this.matches(k) && typeof metric.metrics[k] === 'number',
    );
    if (keys.length === 0) return;
    // epoch, then step within it: increasing as the trainer reports, as uPlot needs
    const x = metric.epoch + Math.min(metric.step || 0, 999_999) / 1_000_000;
    if (this.xs.length && x <= this.xs[this.xs.length - 1]) return; // a replayed point
    this.xs.push(x);
    for (const key of keys) {
      if (!this.series.has(key)) {
        this.series.set(key, new Array(this.xs.length - 1).fill(null));
        this.rebuild = true;
      }
    }
    for (const [key, values] of this.series) values.push(keys.includes(key) ? metric.metrics[key] : null);
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const data = [this.xs, ...this.series.values()];
    if (!this.plot || this.rebuild) {
      this.rebuild = false;
      if (this.plot) this.plot.destroy();
      fill(this.box);
      this.plot = new uPlot(this.options(), data, this.box);
    } else {
      this.plot.setData(data);
    }
    this.el.dataset.points = String(this.xs.length);
  }

  options() {
    const series = [{ label: 'epoch', value: (u, v) => (v == null ? '—' : v.toFixed(2)) }];
    let i = 0;
    for (const key of this.series.keys()) {
      series.push({ label: key, stroke: COLORS[i++ % COLORS.length], width: 1.5, spanGaps: true });
    }
    return {
      ...this.size(),
      series,
      scales: { x: { time: false } },
      axes: [{ label: 'epoch' }, {}],
      cursor: { drag: { x: true, y: false } },
    };
  }

  size() {
    const width = Math.max(240, this.box.clientWidth || 600);
    return { width, height: width < 500 ? 200 : 260 };
  }

  destroy() {
    this.resize.disconnect();
    if (this.plot) this.plot.destroy();
  }
}
