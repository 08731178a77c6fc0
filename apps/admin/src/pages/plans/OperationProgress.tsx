import { useMutation, useQuery } from '@tanstack/react-query';
import { App as AntApp, Button, Progress, Space, Typography } from 'antd';
import { useTRPC } from '@spotcheck/ui/trpc';
import { useI18n } from '../../i18n';

/**
 * A new operation id (UUID v4). `crypto.randomUUID` exists in secure contexts only, and a bureau
 * may serve the admin over plain HTTP on its own network; `getRandomValues` exists everywhere.
 */
export function newOperationId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * How far a long request of the caller's has got (approving a city plan reads and classifies 10^6
 * units; the draw computes and stores 10^5 selections; its verification recomputes it): asked of
 * the server every second while it runs, by the operation id the request was sent with.
 */
export function OperationProgress({ operationId }: { operationId: string | null }) {
  const { t, tx, lang } = useI18n();
  const trpc = useTRPC();
  const { message } = AntApp.useApp();
  // Stops the request before it writes anything; once it writes, it goes on to its end.
  const cancel = useMutation(
    trpc.progress.cancel.mutationOptions({
      onSuccess: (r) =>
        void (r.cancelled ? message.info(t('progress.cancelAsked')) : message.warning(t('progress.tooLate'))),
    }),
  );
  const q = useQuery({
    ...trpc.progress.get.queryOptions({ operationId: operationId ?? '' }),
    enabled: operationId !== null,
    refetchInterval: 1000,
  });
  if (operationId === null) return null;
  const p = q.data;
  const number = (n: number) => n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN');
  // Reading the roster is most of an approval; the rest is a few steps of about the same size.
  const percent = !p
    ? 0
    : p.phase === 'roster'
      ? Math.floor((p.done / Math.max(1, p.total ?? 0)) * 80)
      : p.phase === 'verifying'
        ? Math.floor(((p.done - 1) / Math.max(1, p.total ?? 0)) * 100)
        : { computing: 85, writing: 95, done: 100, failed: 100, cancelled: 100 }[p.phase];
  const text =
    p?.phase === 'roster'
      ? t('progress.roster', { done: number(p.done), total: number(p.total ?? 0) })
      : p?.phase === 'verifying'
        ? t('progress.verifying', {
            done: p.done,
            total: p.total ?? 0,
            step: tx(`progress.step.${p.step ?? 'parse'}`, p.step ?? ''),
          })
        : t(`progress.${p?.phase ?? 'started'}`);
  return (
    <div data-testid="operation-progress" style={{ minWidth: 280, marginBottom: 16 }}>
      <Progress
        percent={percent}
        status={
          p?.phase === 'failed' || p?.phase === 'cancelled'
            ? 'exception'
            : p?.phase === 'done'
              ? 'success'
              : 'active'
        }
        showInfo={false}
        size="small"
      />
      <Space>
        <Typography.Text type="secondary" data-testid="operation-progress-text">
          {text}
        </Typography.Text>
        {(p?.phase === 'roster' || p?.phase === 'computing') && (
          <Button
            size="small"
            loading={cancel.isPending}
            onClick={() => cancel.mutate({ operationId })}
            data-testid="operation-cancel"
          >
            {t('progress.cancel')}
          </Button>
        )}
      </Space>
    </div>
  );
}
