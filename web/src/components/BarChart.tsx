import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.font.family = '"GDS Transport", arial, sans-serif';
Chart.defaults.animation = false;

/** A bar chart (chart.js) with the same figures as a table beside it, for screen readers and for reading exact numbers. */
export interface Series {
  label: string;
  /** null: withheld (fewer than 5 cases): a gap in the chart, "fewer than 5" in the table. */
  values: (number | null)[];
  colour: string;
}

export function BarChart({
  id,
  title,
  labels,
  series,
  unit,
  horizontal,
}: {
  id: string;
  title: string;
  labels: string[];
  series: Series[];
  unit: string;
  horizontal?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.colour })) },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        responsive: true,
        plugins: { legend: { display: series.length > 1 } },
        scales: {
          [horizontal ? 'x' : 'y']: {
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: unit },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify({ labels, series })]);
  return (
    <section class="govuk-!-margin-bottom-8" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 class="govuk-heading-m" id={`${id}-title`}>
        {title}
      </h2>
      <div class="rtk-chart">
        <canvas ref={canvas} role="img" aria-label={`${title}: chart; the figures are in the table below`} />
      </div>
      <details class="govuk-details govuk-!-margin-top-2">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">Figures</span>
        </summary>
        <div class="govuk-details__text">
          <table class="govuk-table govuk-body-s">
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th class="govuk-table__header" />
                {series.map((s) => (
                  <th class="govuk-table__header govuk-table__header--numeric" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {labels.map((l, i) => (
                <tr class="govuk-table__row" key={l}>
                  <th class="govuk-table__header" scope="row">
                    {l}
                  </th>
                  {series.map((s) => (
                    <td class="govuk-table__cell govuk-table__cell--numeric" key={s.label}>
                      {s.values[i]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
