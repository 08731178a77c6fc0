import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import {
  App as AntApp,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Table,
  type FormInstance,
  type TableProps,
} from 'antd';
import type { ReactNode } from 'react';
import { chinaToday } from '@spotcheck/ui/format';
import { DocumentsInput } from '../../components/Documents';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useFitPage, type Paging } from '../../lib/paging';

/**
 * A list of consequence records (cases, listings, proceedings): a page of the server's rows, the
 * pager over all of them, 暂无 when empty.
 */
export function RecordsTable<T extends object>({
  query,
  page,
  ...props
}: {
  query: { data?: { rows: T[]; total: number }; isPending: boolean };
  page: Paging;
} & Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination' | 'locale'>) {
  const { t } = useI18n();
  useFitPage(page, query.data?.total);
  return (
    <Table<T>
      loading={query.isPending}
      dataSource={query.data?.rows ?? []}
      pagination={{
        current: page.page,
        pageSize: page.size,
        total: query.data?.total ?? 0,
        onChange: page.setPage,
        showSizeChanger: false,
        hideOnSinglePage: true,
      }}
      locale={{ emptyText: t('cq.none') }}
      {...props}
    />
  );
}

/**
 * One step on a record in a modal: a form, its OK button `${testId}-submit`, the server's refusal
 * above it, and an optional notice (who must act, where the legal basis comes from).
 */
export function StepModal<F extends object>({
  title,
  testId,
  form,
  initialValues,
  onFinish,
  onCancel,
  pending,
  error,
  notice,
  children,
}: {
  title: string;
  testId: string;
  form: FormInstance<F>;
  initialValues: Partial<F>;
  onFinish: (values: F) => void;
  onCancel: () => void;
  pending: boolean;
  error: unknown;
  notice?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Modal
      open
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': `${testId}-submit` }}
      confirmLoading={pending}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      {notice}
      <Form<F> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish}>
        {children}
      </Form>
    </Modal>
  );
}

/** The day a step happened: today at the latest. */
export function StepDateField({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <Form.Item name="on" label={label ?? t('cq.date')} rules={[{ required: true }]}>
      <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(chinaToday(), 'day')} />
    </Form.Item>
  );
}

/** A step's note; `required` for reviews and decisions, which must give their reasons. */
export function StepNoteField({ required, testId }: { required?: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <Form.Item name="note" label={t('cq.note')} rules={required ? [{ required: true, min: 2 }] : []}>
      <Input.TextArea rows={2} data-testid={testId} />
    </Form.Item>
  );
}

/** A step's documents (notices, decisions; evidence of rectification, which is `required`). */
export function StepDocumentsField({ required, testId }: { required?: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <Form.Item name="documents" label={t('cq.documents')} rules={required ? [{ required: true }] : []}>
      <DocumentsInput testId={testId} />
    </Form.Item>
  );
}

/** A yes-or-no decision of a step (passed / failed, approve / reject), yes by default. */
export function DecisionField({
  name,
  yes,
  no,
  testId,
}: {
  name: string;
  yes: string;
  no: string;
  testId?: string;
}) {
  return (
    <Form.Item name={name}>
      <Radio.Group data-testid={testId}>
        <Radio value>{yes}</Radio>
        <Radio value={false}>{no}</Radio>
      </Radio.Group>
    </Form.Item>
  );
}

/**
 * After a step: say so, close the modal, and refetch the records. The refetch is not awaited: a
 * mutation stays pending until its `onSuccess` settles, and the next step's modal (the same
 * mutation) would open with its OK button still loading, swallowing the click.
 */
export function useStepDone(queryKey: QueryKey, close: () => void) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  return () => {
    message.success(t('cq.saved'));
    close();
    void qc.invalidateQueries({ queryKey });
  };
}
