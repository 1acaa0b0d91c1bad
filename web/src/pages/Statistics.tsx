import { get, saveBlob, type Stats } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { Button } from '../components/forms.js';
import { useData } from '../components/data.js';
import { DELAY_GROUND_LABELS, GATE_LABELS, label, STAGE_LABELS, when } from '../format.js';
import { statsCsv } from '../stats-csv.js';

const BLUE = '#1d70b8';
const GREEN = '#00703c';
const ORANGE = '#f47738';
const RED = '#d4351c';

/** GET /stats as charts, and its anonymised CSV, made here from the same JSON. */
export function Statistics() {
  const s = useData(() => get<Stats>('/stats'), []);
  if (s.error && !s.data) return <p class="govuk-error-message">{s.error}</p>;
  if (!s.data) return <p class="govuk-body">Loading…</p>;
  const st = s.data;
  const grounds = Object.keys(DELAY_GROUND_LABELS);
  return (
    <>
      <h1 class="govuk-heading-l">Statistics</h1>
      <p class="govuk-body">
        {st.cases ?? 'Fewer than 5'} cases in your force. Figures as of {when(st.generatedAt)}: counts and durations
        only, nothing that identifies anyone.
      </p>
      <Button
        type="button"
        secondary
        onClick={() =>
          saveBlob(
            new Blob([statsCsv(st)], { type: 'text/csv' }),
            `right-to-know-statistics-${st.generatedAt.slice(0, 10)}.csv`,
          )
        }
      >
        Download anonymised CSV
      </Button>
      <BarChart
        id="chart-stages"
        title="Cases by stage"
        unit="cases"
        horizontal
        labels={Object.keys(st.byStage).map((k) => label(STAGE_LABELS, k))}
        series={[{ label: 'Cases', values: Object.values(st.byStage), colour: BLUE }]}
      />
      <BarChart
        id="chart-times"
        title="Time from opening to identification and to disclosure"
        unit="hours"
        labels={['Median', '90th percentile']}
        series={[
          {
            label: `To identification (${st.timeToIdentification.count ?? 'fewer than 5'} cases)`,
            values: [st.timeToIdentification.medianHours ?? 0, st.timeToIdentification.p90Hours ?? 0],
            colour: BLUE,
          },
          {
            label: `To disclosure (${st.timeToDisclosure.count ?? 'fewer than 5'} cases)`,
            values: [st.timeToDisclosure.medianHours ?? 0, st.timeToDisclosure.p90Hours ?? 0],
            colour: GREEN,
          },
        ]}
      />
      <BarChart
        id="chart-delays"
        title="Delays by ground"
        unit="delays"
        horizontal
        labels={grounds.map((g) => label(DELAY_GROUND_LABELS, g))}
        series={[{ label: 'Delays', values: grounds.map((g) => st.delaysByGround[g] ?? 0), colour: ORANGE }]}
      />
      {st.overdueGates && (
        <BarChart
          id="chart-overdue"
          title="Overdue gates"
          unit="approvals"
          labels={Object.keys(st.overdueGates).map((g) => label(GATE_LABELS, g))}
          series={[{ label: 'Overdue', values: Object.values(st.overdueGates), colour: RED }]}
        />
      )}
    </>
  );
}
