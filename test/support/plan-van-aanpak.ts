/** The plan van aanpak e2e tests start an onderzoek with (ONDERZOEK_STARTED requires one, or a reason why none). */
export const PLAN = {
  planVanAanpak: { kind: 'multidisciplinair', summary: 'Huisbezoek, gesprekken met ouders en kinderen, informatie bij school.', disciplines: ['gedragswetenschapper'] },
} as const;
