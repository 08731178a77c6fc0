import { useQuery } from '@tanstack/react-query';
import { Alert, Space, Tag } from 'antd';
import { Link } from 'react-router';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import type { RedactionReason } from '@spotcheck/api';
import { useI18n } from '../i18n';
import type { RouterOutputs } from '../lib/types';

/** A quarter's publication state (R15). */
type PublicationState = RouterOutputs['publications']['quarterStatus']['quarters'][number]['state'];

const STATE_COLORS: Record<PublicationState, string> = {
  open: 'default',
  upcoming: 'blue',
  'due-soon': 'orange',
  published: 'green',
  'published-late': 'gold',
  overdue: 'red',
};

/** A quarter's publication state as a coloured tag. */
export function PublicationStateTag({ state }: { state: PublicationState }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`pub-state-${state}`}>
      {t(`pub.state.${state}`)}
    </Tag>
  );
}

/** A public value that may be withheld (R16): the value, or 依法不予公开 with the reason. */
export function Withholdable({
  value,
  render,
}: {
  value: unknown;
  render?: (v: unknown) => React.ReactNode;
}) {
  const { t } = useI18n();
  if (value && typeof value === 'object' && (value as { withheld?: boolean }).withheld) {
    const reason = (value as { reason: RedactionReason }).reason;
    return <Tag color="purple">{t('redact.withheld', { reason: t(`redact.reason.${reason}`) })}</Tag>;
  }
  return <>{render ? render(value) : String(value ?? '')}</>;
}

/**
 * The workbench's flag for quarterly publication (R15): overdue quarters in red, quarters due
 * soon in orange, each with its deadline and a link to the publication page.
 */
export function PublicationAlerts({ bureauCode }: { bureauCode?: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const bureaus = useBureaus();
  const q = useQuery(trpc.publications.quarterStatus.queryOptions({ bureauCode }));
  const flagged = (q.data?.quarters ?? []).flatMap((x) =>
    x.state === 'overdue' || x.state === 'due-soon' ? [{ ...x, state: x.state }] : [],
  );
  if (!flagged.length) return null;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }} data-testid="publication-alerts">
      {flagged.map((x) => (
        <Alert
          key={`${x.bureauCode}:${x.period}`}
          type={x.state === 'overdue' ? 'error' : 'warning'}
          showIcon
          message={
            <>
              {x.state === 'overdue' && <Tag color="red">{t('pub.overdueFlag')}</Tag>}
              {t(`pub.reminder.${x.state}`, {
                bureau: bureaus.name(x.bureauCode),
                period: x.period,
                due: x.dueOn,
              })}{' '}
              <Link to="/publication">{t('pub.preview')}</Link>
            </>
          }
        />
      ))}
    </Space>
  );
}
