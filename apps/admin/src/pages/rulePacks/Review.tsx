import { CITY_BUREAU_CODE } from '@spotcheck/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { holds } from '../../lib/access';
import { useSession } from '../../session';
import { useTRPC, useTRPCClient } from '@spotcheck/ui/trpc';
import { caseDiffText } from './caseText';
import type { PackVersion } from './RulePacks';

const REVIEW_COLORS: Record<string, string> = {
  editing: 'default',
  submitted: 'gold',
  returned: 'red',
  approved: 'green',
};

type DraftRun = Awaited<ReturnType<ReturnType<typeof useTRPCClient>['rulePacks']['runDraftCases']['query']>>;

/**
 * The review workflow of a draft: run its cases on the unsaved edit, submit with a note, a city
 * admin (not the submitter) approves or returns it with an opinion (审批意见) after seeing the
 * rules changed and the cases, and publish once approved (the server also requires every case
 * green and the tighten-only check).
 */
export function ReviewBar({
  version,
  canAuthor,
  dirty,
  texts,
}: {
  version: PackVersion;
  canAuthor: boolean;
  dirty: boolean;
  texts: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const user = useSession();
  const { message } = AntApp.useApp();
  const [submitting, setSubmitting] = useState(false);
  const [reviewing, setReviewing] = useState<'approve' | 'return' | null>(null);
  const [note, setNote] = useState('');
  const [run, setRun] = useState<DraftRun | null>(null);
  const [running, setRunning] = useState(false);
  const isDraft = version.status === 'draft';
  const isReviewer = holds(user.roles, ['city-admin'], CITY_BUREAU_CODE) && version.submittedBy !== user.id;
  const summary = useQuery({
    ...trpc.rulePacks.reviewSummary.queryOptions({ id: version.id }),
    enabled: isDraft && version.review !== 'editing',
  });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.rulePacks.pathKey() });
  const submit = useMutation(
    trpc.rulePacks.submit.mutationOptions({
      onSuccess: async () => (setSubmitting(false), message.success(t('authoring.submitted')), refresh()),
    }),
  );
  const review = useMutation(
    trpc.rulePacks.review.mutationOptions({
      onSuccess: async () => (setReviewing(null), message.success(t('authoring.reviewed')), refresh()),
    }),
  );
  const publish = useMutation(
    trpc.rulePacks.publish.mutationOptions({
      onSuccess: async () => (message.success(t('rulePack.published')), refresh()),
    }),
  );
  const runDraft = async () => {
    setRunning(true);
    try {
      setRun(await client.rulePacks.runDraftCases.query({ files: texts }));
    } finally {
      setRunning(false);
    }
  };
  if (!isDraft && !canAuthor) return null;
  const rules = summary.data?.rules;
  const names = (xs: readonly string[] | undefined) => (xs?.length ? xs.join('、') : t('authoring.none'));
  return (
    <div style={{ marginBottom: 12 }} data-testid="rule-pack-review">
      <ErrorAlert error={submit.error ?? review.error ?? publish.error} />
      <Space wrap>
        {isDraft && (
          <Tag color={REVIEW_COLORS[version.review]} data-testid="rule-pack-review-state">
            {t(`authoring.review.${version.review}`)}
          </Tag>
        )}
        {canAuthor && (
          <Button loading={running} onClick={runDraft} data-testid="rule-pack-run-draft">
            {t('authoring.runDraftCases')}
          </Button>
        )}
        {canAuthor && isDraft && (version.review === 'editing' || version.review === 'returned') && (
          <Button
            type="primary"
            disabled={dirty}
            onClick={() => (setNote(''), setSubmitting(true))}
            data-testid="rule-pack-submit"
          >
            {t('authoring.submit')}
          </Button>
        )}
        {isDraft && version.review === 'submitted' && isReviewer && (
          <>
            <Button
              type="primary"
              onClick={() => (setNote(''), setReviewing('approve'))}
              data-testid="rule-pack-approve"
            >
              {t('authoring.approve')}
            </Button>
            <Button
              danger
              onClick={() => (setNote(''), setReviewing('return'))}
              data-testid="rule-pack-return"
            >
              {t('authoring.return')}
            </Button>
          </>
        )}
        {canAuthor && isDraft && version.review === 'approved' && !dirty && (
          <Button
            type="primary"
            loading={publish.isPending}
            onClick={() => publish.mutate({ id: version.id })}
            data-testid="rule-pack-publish"
          >
            {t('rulePack.publish')}
          </Button>
        )}
        {isDraft && version.review !== 'approved' && (
          <Typography.Text type="secondary">{t('authoring.publishNeeds')}</Typography.Text>
        )}
      </Space>
      {isDraft && summary.data && (
        <Alert
          style={{ marginTop: 8 }}
          type={version.review === 'returned' ? 'warning' : 'info'}
          showIcon
          data-testid="rule-pack-review-summary"
          title={t('authoring.rulesChanged', {
            added: names(rules?.added),
            removed: names(rules?.removed),
            changed: names(rules?.changed),
          })}
          description={
            <>
              {summary.data.submitNote && <div>{t('authoring.note', { note: summary.data.submitNote })}</div>}
              {summary.data.reviewOpinion && (
                <div>{t('authoring.opinionShown', { opinion: summary.data.reviewOpinion })}</div>
              )}
              {summary.data.cases && (
                <div>
                  {t('authoring.casesResult', {
                    passed: summary.data.cases.passed,
                    failed: summary.data.cases.failed,
                  })}
                </div>
              )}
            </>
          }
        />
      )}
      {run && (
        <div style={{ marginTop: 8 }} data-testid="rule-pack-draft-cases">
          {run.ok ? (
            <>
              <Alert
                type={run.failed ? 'error' : 'success'}
                showIcon
                title={t('authoring.casesResult', { passed: run.passed, failed: run.failed })}
              />
              <Table
                size="small"
                rowKey={(r) => `${r.file}:${r.name}`}
                pagination={false}
                dataSource={run.results}
                columns={[
                  {
                    title: t('authoring.caseName'),
                    dataIndex: 'name',
                  },
                  {
                    title: t('common.status'),
                    dataIndex: 'passed',
                    width: 90,
                    render: (p: boolean) => <Tag color={p ? 'green' : 'red'}>{p ? '✓' : '✗'}</Tag>,
                  },
                  {
                    title: t('rulePack.message'),
                    dataIndex: 'diffs',
                    render: (ds: DraftRun['results'][number]['diffs']) =>
                      ds.map((d) => caseDiffText(d, run.ruleLabels, lang)).join('；'),
                  },
                ]}
              />
            </>
          ) : (
            <Alert type="error" showIcon title={t('authoring.casesDoNotLoad')} />
          )}
        </div>
      )}
      <Modal
        open={submitting}
        title={t('authoring.submit')}
        onCancel={() => setSubmitting(false)}
        okButtonProps={{ disabled: note.trim().length < 2, 'data-testid': 'rule-pack-submit-ok' }}
        confirmLoading={submit.isPending}
        onOk={() => submit.mutate({ id: version.id, note })}
      >
        <Typography.Paragraph>{t('authoring.submitNote')}</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="rule-pack-note"
        />
      </Modal>
      <Modal
        open={reviewing !== null}
        title={reviewing === 'return' ? t('authoring.return') : t('authoring.approve')}
        onCancel={() => setReviewing(null)}
        okButtonProps={{
          disabled: note.trim().length < 2,
          danger: reviewing === 'return',
          'data-testid': 'rule-pack-review-ok',
        }}
        confirmLoading={review.isPending}
        onOk={() => reviewing && review.mutate({ id: version.id, decision: reviewing, opinion: note })}
      >
        <Typography.Paragraph>{t('authoring.opinion')}</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="rule-pack-opinion"
        />
      </Modal>
    </div>
  );
}
