import os from 'node:os';

/** The machine a bench runs on, as its results record it. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg(),
  };
}

/** The machine in one line: `AMD EPYC × 2, 23.5 GiB, node v20…, load 0.50 0.40 0.30`. */
export function machineLine(info: ReturnType<typeof machine>): string {
  return `${info.cpu} × ${info.cores}, ${info.memoryGiB} GiB, node ${info.node}, load ${info.loadAverage.map((l) => l.toFixed(2)).join(' ')}`;
}
