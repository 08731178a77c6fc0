import { Alert, Space, Tag, Typography } from 'antd';
import type { RiskGrade } from '@spotcheck/core';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { errorMessage } from '../lib/errors';

/** Page heading with optional actions on the right. */
export function PageTitle({ title, extra, sub }: { title: ReactNode; extra?: ReactNode; sub?: ReactNode }) {
  return (
    <div
      className="no-print"
      style={{ display: 'flex', alignItems: 'center', marginBottom: 16, gap: 12, flexWrap: 'wrap' }}
    >
      <div style={{ flex: 1, minWidth: 200 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}

/** An API error shown inline, in the page's language (the refusal's catalogued code and params). */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.error')}
      description={errorMessage(error, lang)}
      style={{ marginBottom: 16 }}
    />
  );
}

const RISK_COLORS: Record<RiskGrade, string> = { major: 'red', high: 'orange', medium: 'gold', low: 'blue' };

/** A risk grade as a coloured tag (红橙黄蓝). */
export function RiskTag({ grade }: { grade: RiskGrade }) {
  const { t } = useI18n();
  return <Tag color={RISK_COLORS[grade]}>{t(`risk.${grade}`)}</Tag>;
}

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  'randomness-entered': 'geekblue',
  drawn: 'purple',
  signed: 'green',
  'tasks-issued': 'green',
  voided: 'red',
  published: 'green',
  retired: 'default',
  active: 'green',
  suspended: 'orange',
  left: 'default',
  disabled: 'red',
  closed: 'default',
  committed: 'processing',
  'void-requested': 'orange',
  issued: 'processing',
  'in-progress': 'geekblue',
  done: 'green',
  cancelled: 'default',
};

/** A status as a coloured tag; the caller gives its words (`t(\`plan.status.${status}\`)`). */
export function StatusTag({ status, label }: { status: string; label: string }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{label}</Tag>;
}
