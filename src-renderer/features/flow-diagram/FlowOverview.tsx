import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useAppState } from '../../app-context';
import { ErrorMessage } from '../../components/Messages';
import { buildFlowGraph, diagramForExport, statusCounts, visibleEdges } from '../../state/flow-graph';
import { FLOW_STATUS_ORDER, statusLabel } from '../../state/flow-status';
import { ImportConnectors } from '../plan/ImportConnectors';
import { PlanResults } from '../plan/PlanResults';
import { ExportButtons } from '../export/ExportButtons';
import { FlowDetails } from './FlowDetails';
import { FlowDiagram } from './FlowDiagram';
import { FlowList } from './FlowList';
import { Legend } from './Legend';
import { MessageDropTarget } from '../message/MessageDropTarget';

/**
 * The first screen: the organisation's mail flow as the article's John/Bob/Sun
 * diagram, explaining itself, with one obvious next step.
 */
export function FlowOverview() {
  const { state, dispatch } = useAppState();
  const graph = useMemo(() => buildFlowGraph(state.profile, state.plan), [state.profile, state.plan]);
  const select = useCallback((key: string) => dispatch({ type: 'flow-selected', key }), [dispatch]);
  const detailsRef = useRef<HTMLDivElement>(null);
  /** A row of the list: select its flow, centre it on the diagram, and bring the details into view. */
  const selectFromList = useCallback(
    (key: string) => {
      dispatch({ type: 'flow-selected', key, centre: true });
      requestAnimationFrame(() => detailsRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }));
    },
    [dispatch],
  );
  // Escape closes the details panel.
  const hasSelection = state.selectedFlow !== undefined;
  useEffect(() => {
    if (!hasSelection) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') dispatch({ type: 'flow-selected', key: undefined });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hasSelection, dispatch]);
  const selectedEdge = graph.edges.find((e) => e.id === state.selectedFlow);
  const counts = statusCounts(graph.edges);
  const isExample = state.profileSource === 'example';
  /** Without an own server there is no John to talk about (all mailboxes in the cloud). */
  const hasJohn = graph.nodes.some((n) => n.id === 'john');
  /**
   * Off at first: the flows that need no connector (Office 365 handles them by
   * itself) are about a third of the arrows and need no action, so leaving them
   * out lets the missing and failing ones stand out on the first screen. The
   * summary counts them, the list beside the diagram shows them all, and one
   * click draws them too.
   */
  const [showUnneeded, setShowUnneeded] = useState(false);
  const drawn = useMemo(() => visibleEdges(graph.edges, showUnneeded, state.selectedFlow), [graph.edges, showUnneeded, state.selectedFlow]);
  const unneeded = counts['no-connector-needed'] ?? 0;

  return (
    <div className="overview" data-testid="overview">
      <section className="intro" aria-labelledby="intro-title">
        <h2 id="intro-title">{isExample ? 'How mail flows in the article’s example organisation' : `Mail flow of ${state.profile.name}`}</h2>
        <p>
          {isExample
            ? 'This is the example from Microsoft’s article “Configure mail flow using connectors in Office 365”: '
            : ''}
          {hasJohn ? (
            <>
              <strong>John</strong> has a mailbox on your own mail server, <strong>Bob</strong> has one in Office 365, and <strong>Sun</strong> is someone on the Internet.
            </>
          ) : (
            <>
              Every mailbox is in Office 365 (<strong>Bob</strong>); <strong>Sun</strong> is someone on the Internet.
            </>
          )}{' '}
          Each arrow is mail going one way, labelled with the connector it needs and whether that connector is in place. Select an arrow to see the path,
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
              .map((s) => `${statusLabel(s, { imported: graph.imported })}: ${counts[s]}`)
              .join(' · ')}
      </p>

      <div className="diagram-layout">
        <div className="diagram-column">
          {/* The key above the diagram, where it is seen before the arrows, not below the fold. */}
          <div className="diagram-bar">
            <Legend imported={graph.imported} />
            {unneeded > 0 && (
              <label className="diagram-toggle">
                <input type="checkbox" data-testid="show-unneeded" checked={showUnneeded} onChange={(e) => setShowUnneeded(e.target.checked)} />
                Also draw the {unneeded === 1 ? 'flow' : `${unneeded} flows`} that need no connector (Office 365 handles {unneeded === 1 ? 'it' : 'them'} by itself)
              </label>
            )}
          </div>
          <a className="skip-link" href="#flow-list" data-testid="skip-to-flows">
            Skip the diagram: go to the list of flows
          </a>
          <MessageDropTarget>
            <FlowDiagram nodes={graph.nodes} edges={drawn} imported={graph.imported} selected={state.selectedFlow} centreSelected={state.centreSelected} onSelect={select} />
          </MessageDropTarget>
        </div>
        <div className="side-column">
          <div ref={detailsRef}>
            <FlowDetails edge={selectedEdge} imported={graph.imported} profile={state.profile} observations={state.observations} onClose={() => dispatch({ type: 'flow-selected', key: undefined })} />
          </div>
          <FlowList edges={graph.edges} imported={graph.imported} profile={state.profile} selected={state.selectedFlow} onSelect={selectFromList} />
        </div>
      </div>

      {state.plan && (
        <>
          <PlanResults plan={state.plan} />
          {/* The plan is saved by main's id for it; the diagram as drawn goes with it, so its HTML report shows the same picture (laid out only when saving). */}
          {state.planId !== undefined && (
            <ExportButtons subject={{ kind: 'plan', planId: state.planId }} withDiagram={() => diagramForExport(graph.nodes, drawn, graph.imported)} label="Save the plan" />
          )}
        </>
      )}
      <ImportConnectors />
    </div>
  );
}
