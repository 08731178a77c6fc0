import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import {
  App as AntApp,
  Col,
  Form,
  InputNumber,
  Modal,
  Row,
  Select,
  type FormInstance,
  type FormProps,
} from 'antd';
import type { ReactNode } from 'react';
import { CITY_BUREAU } from '../../lib/access';
import { useBureaus } from '@spotcheck/ui/trpc';
import { SPECIALTIES, VOCAB_SEARCH, vocabOptions } from '../../lib/labels';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../common';

/** An officer or expert id as draws and teams refer to it. */
export const DRAW_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * A roster form in a modal: OK submits the form, the server's refusal shows above it, and the
 * fields sit in one 12-column grid.
 */
export function FormModal<T extends object>({
  open,
  title,
  width,
  onClose,
  form,
  pending,
  error,
  okTestId,
  children,
  ...formProps
}: {
  open: boolean;
  title: ReactNode;
  width: number;
  onClose: () => void;
  form: FormInstance<T>;
  pending: boolean;
  error: unknown;
  okTestId?: string;
  children: ReactNode;
} & Omit<FormProps<T>, 'form' | 'layout' | 'children' | 'title'>) {
  return (
    <Modal
      open={open}
      width={width}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={pending}
      okButtonProps={okTestId ? { 'data-testid': okTestId } : undefined}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form<T> form={form} layout="vertical" {...formProps}>
        <Row gutter={12}>{children}</Row>
      </Form>
    </Modal>
  );
}

/**
 * After a save: say so, clear the form, close, and refetch the roster's lists (not awaited, so the
 * mutation is not left pending for a modal opened again meanwhile: see `useStepDone`).
 */
export function useSaved(form: FormInstance, onClose: () => void, queryKey: QueryKey) {
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  return (text: string) => {
    message.success(text);
    form.resetFields();
    onClose();
    void qc.invalidateQueries({ queryKey });
  };
}

/** District options a user may write to: the fixed one, or every district for the city. */
export function useDistrictOptions(fixed: string | undefined) {
  const bureaus = useBureaus();
  return bureaus.list
    .filter((b) => b.level === 'district' && (!fixed || fixed === CITY_BUREAU || b.code === fixed))
    .map((b) => ({ value: b.code, label: `${b.name} (${b.code})` }));
}

/** The specialties field of officers and experts (R3): the shared vocabulary, searchable. */
export function SpecialtiesField({ testId }: { testId?: string }) {
  const { t, lang } = useI18n();
  return (
    <Col span={24}>
      <Form.Item name="specialties" label={t('inspector.specialties')}>
        <Select
          mode="multiple"
          options={vocabOptions(SPECIALTIES, lang)}
          showSearch={VOCAB_SEARCH}
          data-testid={testId}
        />
      </Form.Item>
    </Col>
  );
}

/** A whole-number field of a roster form. */
export function CountField({
  name,
  label,
  min,
  max,
  span,
  testId,
}: {
  name: string;
  label: string;
  min: number;
  max: number;
  span: number;
  testId?: string;
}) {
  return (
    <Col span={span}>
      <Form.Item name={name} label={label} rules={[{ required: true }]}>
        <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} data-testid={testId} />
      </Form.Item>
    </Col>
  );
}
