/** The first cell of a case row: the case's short id linking to it, and the acute tag. One for every case table. */
export function CaseCell({ id, acute }: { id: string; acute: boolean }) {
  return (
    <th scope="row">
      <a href={`#/zaak/${id}`}>{id.slice(0, 8)}</a>
      {acute ? <span class="tag acuut">acuut</span> : null}
    </th>
  );
}
