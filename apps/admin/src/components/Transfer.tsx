import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Modal, Progress, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useI18n, type TKey } from '../i18n';
import { errorMessage } from '../lib/errors';
import { downloadBase64, fileToBase64, formatOf, streamUpload } from '../lib/files';
import type { RouterOutputs } from '../lib/types';
import { useTRPCClient } from '../trpc';

/** A list that moves as a spreadsheet (R22). */
export type TransferKind = 'units' | 'inspectors' | 'experts' | 'checklist-items';
type Report = RouterOutputs['transfer']['import'];
type Problem = Report['problems'][number];

/** Files above this size stream through `POST /upload/import/:kind` with progress; smaller ones go as base64. */
export const LARGE_IMPORT_BYTES = 1024 * 1024;

/** Export buttons (XLSX and CSV) of a list, through `transfer.export`. */
export function ExportButtons({ kind, versionId }: { kind: TransferKind; versionId?: string }) {
  const { t } = useI18n();
  const client = useTRPCClient();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      downloadBase64(await client.transfer.export.query({ kind, format, versionId }));
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        loading={busy === 'xlsx'}
        onClick={() => void run('xlsx')}
        data-testid={`${kind}-export-xlsx`}
      >
        {t('transfer.exportXlsx')}
      </Button>
      <Button
        icon={<DownloadOutlined />}
        loading={busy === 'csv'}
        onClick={() => void run('csv')}
        data-testid={`${kind}-export-csv`}
      >
        {t('transfer.exportCsv')}
      </Button>
    </>
  );
}

interface Progressing {
  phase: 'uploading' | 'reading' | 'writing';
  percent: number;
  rows: number;
}

/** The import dialog: templates, file choice, progress, and the all-or-nothing report. */
export function ImportDialog({
  kind,
  versionId,
  open,
  onClose,
  onImported,
}: {
  kind: TransferKind;
  versionId?: string;
  open: boolean;
  onClose: () => void;
  onImported?: (report: Report) => void;
}) {
  const { t } = useI18n();
  const client = useTRPCClient();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progressing | null>(null);
  const busy = progress !== null;

  const reset = () => {
    setReport(null);
    setError(null);
    setFileName(null);
    setProgress(null);
  };

  const template = async (format: 'xlsx' | 'csv') => {
    try {
      downloadBase64(await client.transfer.template.query({ kind, format }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const finish = (r: Report) => {
    setReport(r);
    if (r.ok) onImported?.(r);
  };

  const importFile = async (file: File) => {
    reset();
    setFileName(file.name);
    const format = formatOf(file.name);
    if (!format) {
      setError(t('transfer.badFormat'));
      return;
    }
    try {
      if (file.size <= LARGE_IMPORT_BYTES) {
        setProgress({ phase: 'uploading', percent: 0, rows: 0 });
        const base64 = await fileToBase64(file);
        finish(await client.transfer.import.mutate({ kind, format, base64, versionId }));
        return;
      }
      // Large files stream; the server reports rows read and written as NDJSON lines.
      let readRows = 0;
      const query = new URLSearchParams({ format, ...(versionId ? { versionId } : {}) });
      setProgress({ phase: 'uploading', percent: 0, rows: 0 });
      await streamUpload(
        `/upload/import/${kind}?${query}`,
        file,
        (sent, total) =>
          setProgress((p) =>
            p && p.phase !== 'writing'
              ? { ...p, phase: p.phase, percent: Math.min(99, Math.floor((sent / Math.max(total, 1)) * 100)) }
              : p,
          ),
        (line) => {
          if (line.type === 'progress') {
            if (line.phase === 'reading') readRows = line.rows;
            setProgress((p) => ({
              phase: line.phase,
              rows: line.rows,
              percent:
                line.phase === 'writing'
                  ? Math.floor((line.rows / Math.max(readRows, 1)) * 100)
                  : (p?.percent ?? 0),
            }));
          } else if (line.type === 'error') setError(line.message);
          else finish(line as unknown as Report);
        },
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
    }
  };

  return (
    <Modal
      open={open}
      width={820}
      title={t(`transfer.import.${kind}` as TKey)}
      onCancel={() => (busy ? undefined : (reset(), onClose()))}
      footer={
        <Button onClick={() => (reset(), onClose())} disabled={busy}>
          {t('common.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="import-dialog">
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('transfer.hint')}
        </Typography.Paragraph>
        <Space wrap>
          <Typography.Text>{t('transfer.template')}</Typography.Text>
          <Button size="small" icon={<DownloadOutlined />} onClick={() => void template('xlsx')}>
            XLSX
          </Button>
          <Button size="small" icon={<DownloadOutlined />} onClick={() => void template('csv')}>
            CSV
          </Button>
        </Space>
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void importFile(file);
            return false;
          }}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('transfer.drop')}</p>
          <p className="ant-upload-hint">{fileName ?? t('transfer.dropHint')}</p>
        </Upload.Dragger>
        {progress && (
          <div data-testid="import-progress">
            <Progress percent={progress.percent} status="active" />
            <Typography.Text type="secondary">
              {t(`transfer.phase.${progress.phase}` as TKey, { n: progress.rows })}
            </Typography.Text>
          </div>
        )}
        {error && <Alert type="error" showIcon title={t('common.error')} description={error} />}
        {report?.ok && (
          <Alert
            type="success"
            showIcon
            title={t('transfer.done', { n: report.imported })}
            description={t('transfer.doneDetail', { rows: report.rows })}
            data-testid="import-success"
          />
        )}
        {report && !report.ok && (
          <div data-testid="import-report">
            <Alert
              type="error"
              showIcon
              title={t('transfer.failed', { n: report.problemCount })}
              description={t('transfer.failedDetail', { rows: report.rows })}
              style={{ marginBottom: 12 }}
            />
            {report.problemCount > report.problems.length && (
              <Typography.Paragraph type="secondary">
                {t('transfer.moreProblems', { shown: report.problems.length, n: report.problemCount })}
              </Typography.Paragraph>
            )}
            <Table<Problem>
              rowKey={(p, i) => `${p.row}:${p.column}:${i}`}
              size="small"
              dataSource={report.problems}
              pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
              columns={[
                { title: t('transfer.row'), dataIndex: 'row', width: 70 },
                { title: t('transfer.column'), dataIndex: 'column', width: 220 },
                { title: t('common.reason'), dataIndex: 'message' },
              ]}
            />
          </div>
        )}
      </Space>
    </Modal>
  );
}

/** An import button that opens {@link ImportDialog} and refreshes the given query path afterwards. */
export function ImportButton({
  kind,
  versionId,
  refreshKey,
  disabled,
}: {
  kind: TransferKind;
  versionId?: string;
  refreshKey: readonly unknown[];
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        icon={<UploadOutlined />}
        onClick={() => setOpen(true)}
        disabled={disabled}
        data-testid={`${kind}-import`}
      >
        {t('transfer.import')}
      </Button>
      <ImportDialog
        kind={kind}
        versionId={versionId}
        open={open}
        onClose={() => setOpen(false)}
        onImported={() => void qc.invalidateQueries({ queryKey: refreshKey })}
      />
    </>
  );
}
