import { ERROR_CODES } from '@persian-hub/client';
import { describeError, useLocale } from '@persian-hub/react';
import { Card, Code, Flex, Heading, Text } from '@radix-ui/themes';
import type { Meta, StoryObj } from '@storybook/react-vite';

const DETAILS: Record<string, Record<string, unknown>> = {
  DISK_FULL: { requiredBytes: 4_920_000_000, availableBytes: 1_150_000_000 },
  RATE_LIMITED: { retryAfter: 90 },
  HUB_ERROR: { status: 200 },
  CHECKSUM_MISMATCH: { file: 'pytorch_model.bin' },
  BUNDLE_INVALID: { file: 'fa_IR-amir-medium.onnx' },
};

/** Every error code as the person clicking reads it, with the admin's part and the suggested next step. */
function ErrorTable({ codes }: { codes: readonly string[] }) {
  const locale = useLocale();
  return (
    <Flex direction="column" gap="3">
      {codes.map((code) => {
        const d = describeError({ code, message: `the server's own message for ${code}`, details: DETAILS[code] }, locale, { repoId: 'HooshvareLab/bert-fa-zwnj-base' });
        return (
          <Card key={code}>
            <Flex direction="column" gap="1">
              <Heading as="h2" size="3">
                {d.title}
              </Heading>
              <Text as="p" size="2">
                {d.description}
              </Text>
              {d.admin && (
                <Text as="p" size="1" color="gray">
                  admin: {d.admin}
                </Text>
              )}
              <Text as="p" size="1" color="gray">
                <Code highContrast>{code}</Code> {d.action ? `→ ${d.action}` : ''}
              </Text>
            </Flex>
          </Card>
        );
      })}
    </Flex>
  );
}

const meta = {
  title: 'Data/describeError',
  component: ErrorTable,
  args: { codes: ERROR_CODES },
  parameters: {
    docs: {
      description: {
        component: `\`describeError(error, locale, { repoId })\` → \`{ code, title, description, admin, action, technical }\`

Turns a stable error code (a job's \`error\`, a failed request's \`PersianHubClientError\`) into words for the person who clicked: what happened and what to do, never an environment variable. \`admin\` is what whoever runs the server can change (HF_TOKEN, a mirror, disk space), for a folded "technical details"; \`action\` the step a UI can offer inline (\`importBundle\` for BLOCKED/NETWORK/STALLED, \`requestAccess\` for gated repos, \`retry\`). Numbers are formatted in the locale («کد ۲۰۰», never «کد 200»). \`describeListError\` does the same for a failed fetch of the list and names the culprit: our server, something in between, or the Hub behind it.`,
      },
    },
  },
} satisfies Meta<typeof ErrorTable>;

export default meta;
type Story = StoryObj<typeof meta>;

export const EveryCode: Story = {};
export const EveryCodeEnglish: Story = { globals: { locale: 'en' } };
