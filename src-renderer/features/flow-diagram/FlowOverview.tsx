import { useCallback, useMemo } from 'react';
import { useAppState } from '../../app-context';
import { ErrorMessage } from '../../components/Messages';
import { buildFlowGraph, statusCounts } from '../../state/flow-graph';
import { FLOW_STATUS_LOOK, FLOW_STATUS_ORDER } from '../../state/flow-status';
import { ImportConnectors } from '../plan/ImportConnectors';
import { PlanResults } from '../plan/PlanResults';
import { ExportButtons } from '../export/ExportButtons';
import { FlowDetails } from './FlowDetails';
import { FlowDiagram } from './FlowDiagram';
import { FlowList } from './FlowList';
import { Legend } from './Legend';

/**
 * The first screen: the organisation's mail flow as the article's John/Bob/Sun
 * diagram, explaining itself, with one obvious next step.
 */
export function FlowOverview() {
  const { state, dispatch } = useAppState();
  const graph = useMemo(() => buildFlowGraph(state.profile, state.plan), [state.profile, state.plan]);
  const select = useCallback((key: string) => dispatch({ type: 'flow-selected', key }), [dispatch]);
  const selectedEdge = graph.edges.find((e) => e.id === state.selectedFlow);
  const counts = statusCounts(graph.edges);
  const isExample = state.profileSource === 'example';

  return (
    <div className="overview" data-testid="overview">
      <section className="intro" aria-labelledby="intro-title">
        <h2 id="intro-title">{isExample ? 'How mail flows in the article’s example organisation' : `Mail flow of ${state.profile.name}`}</h2>
        <p>
          {isExample
            ? 'This is the example from Microsoft’s article “Configure mail flow using connectors in Office 365”: '
            : ''}
          <strong>John</strong> has a mailbox on your own mail server, <strong>Bob</strong> has one in Office 365, and <strong>Sun</strong> is someone on the
          Internet. Each arrow is mail going one way, labelled with the connector it needs and whether that connector is in place. Select an arrow to see the path,
          the evidence and the fix.
        </p>
        <div className="next-step">
          {isExample ? (
            <button type="button" className="primary" data-testid="next-step" onClick={() => dispatch({ type: 'navigate', view: 'plan' })}>
              Describe your organisation
            </button>
          ) : (
            <button type="button" className="primary" data-testid="next-step" onClick={() => dispatch({ type: 'navigate', view: 'diagnose' })}>
              Diagnose your servers and partners
            </button>
          )}
          <span className="muted">
            {isExample ? 'Answer a few questions and get the connectors your organisation needs, with the PowerShell.' : 'Check DNS, SMTP and TLS for real; failures show on the arrows.'}
          </span>
        </div>
      </section>

      {state.planStatus === 'failed' && state.planError && <ErrorMessage message={`The plan could not be built: ${state.planError}`} testId="plan-error" />}
      {state.planStatus === 'loading' && (
        <p className="muted" role="status">
          Working out the flows…
        </p>
      )}

      <p className="summary" data-testid="flow-summary" role="status">
        {graph.edges.length === 0
          ? 'No flows yet.'
          : FLOW_STATUS_ORDER.filter((s) => counts[s])
              .map((s) => `${FLOW_STATUS_LOOK[s].label}: ${counts[s]}`)
              .join(' · ')}
      </p>

      <div className="diagram-layout">
        <div className="diagram-column">
          <FlowDiagram graph={graph} selected={state.selectedFlow} onSelect={select} />
          <Legend />
        </div>
        <div className="side-column">
          <FlowDetails edge={selectedEdge} profile={state.profile} onClose={() => dispatch({ type: 'flow-selected', key: undefined })} />
          <FlowList edges={graph.edges} profile={state.profile} selected={state.selectedFlow} onSelect={select} />
        </div>
      </div>

      {state.plan && (
        <>
          <PlanResults plan={state.plan} />
          <ExportButtons subject={{ kind: 'plan', plan: state.plan }} label="Save the plan" />
        </>
      )}
      <ImportConnectors />
    </div>
  );
}
