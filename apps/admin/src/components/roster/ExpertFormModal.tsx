import { useMutation } from '@tanstack/react-query';
import { Col, Form, Input, Select } from 'antd';
import { useEffect } from 'react';
import { useTRPC } from '@spotcheck/ui/trpc';
import { useI18n } from '../../i18n';
import { CITY_BUREAU } from '../../lib/access';
import type { RouterInputs, RouterOutputs } from '../../lib/types';
import { DRAW_ID, FormModal, SpecialtiesField, useDistrictOptions, useSaved } from './FormModal';

/** An expert as listed. */
export type Expert = RouterOutputs['experts']['list'][number];
type ExpertForm = RouterInputs['experts']['create'];

/** Adds an expert (city-wide experts: city admins) or edits one. */
export function ExpertFormModal({
  open,
  onClose,
  bureauCode,
  editing,
}: {
  open: boolean;
  onClose: () => void;
  bureauCode: string | undefined;
  editing?: Expert | null;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [form] = Form.useForm<ExpertForm>();
  const districts = useDistrictOptions(bureauCode);
  const cityAllowed = !bureauCode || bureauCode === CITY_BUREAU;
  const saved = useSaved(form, onClose, trpc.experts.pathKey());
  const done = () => saved(t('common.saved'));
  const create = useMutation(trpc.experts.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.experts.update.mutationOptions({ onSuccess: done }));
  useEffect(() => {
    if (open && editing) form.setFieldsValue({ ...editing, bureauCode: editing.bureauCode ?? undefined });
  }, [open, editing, form]);
  const submit = (v: ExpertForm) => {
    if (editing) {
      const { name, specialties, title, employer, status } = v;
      update.mutate({ id: editing.id, patch: { name, specialties, title, employer, status } });
    } else {
      create.mutate({
        id: v.id,
        name: v.name,
        bureauCode: v.bureauCode ?? null,
        specialties: v.specialties ?? [],
        title: v.title ?? '',
        employer: v.employer ?? '',
        status: v.status ?? 'active',
      });
    }
  };
  return (
    <FormModal<ExpertForm>
      open={open}
      width={640}
      title={editing ? `${t('common.edit')} · ${editing.name}` : t('expert.create')}
      onClose={onClose}
      form={form}
      pending={create.isPending || update.isPending}
      error={create.error ?? update.error}
      initialValues={{
        status: 'active',
        specialties: [],
        bureauCode: cityAllowed ? undefined : districts[0]?.value,
      }}
      onFinish={submit}
    >
      <Col span={12}>
        <Form.Item
          name="id"
          label={t('expert.id')}
          rules={[{ required: true }, { pattern: DRAW_ID, message: t('form.drawId') }]}
        >
          <Input disabled={!!editing} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="name" label={t('expert.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item
          name="bureauCode"
          label={t('common.bureau')}
          extra={cityAllowed ? t('expert.cityWideHint') : undefined}
          rules={cityAllowed ? [] : [{ required: true }]}
        >
          <Select
            allowClear={cityAllowed}
            options={districts}
            disabled={!!editing}
            placeholder={t('expert.cityWide')}
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="status" label={t('common.status')}>
          <Select
            options={(['active', 'inactive'] as const).map((s) => ({
              value: s,
              label: t(`expert.status.${s}`),
            }))}
          />
        </Form.Item>
      </Col>
      <SpecialtiesField />
      <Col span={12}>
        <Form.Item name="title" label={t('expert.title')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="employer" label={t('expert.employer')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Col>
    </FormModal>
  );
}
