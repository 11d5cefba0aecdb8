"""The guided mapping conversation's progress (issue 18 item 1): one Conversation node per
young person, holding which step was reached, so a visit cut short resumes where it stopped.

The people, searches, support, rings and ties the conversation records are ordinary network
records (netmap.services.network); only the progress lives here. The node carries
`young_person_id`, so erasing the young person's record takes it too, and the whole-database
export carries it like any other node.
"""

from __future__ import annotations

from .base import Repository, clean


class ConversationRepository(Repository):
    def progress(self, young_person_id: str) -> dict | None:
        row = self.read_one("MATCH (c:Conversation {young_person_id: $y}) "
                            "RETURN properties(c) AS p", y=young_person_id)
        return row["p"] if row else None

    def save_progress(self, young_person_id: str, new_id: str, props: dict, at: str) -> None:
        """Create the young person's progress the first time, then change it (buffered)."""
        self.write(
            "MERGE (c:Conversation {young_person_id: $y}) "
            "ON CREATE SET c.id = $id, c.started_at = $at "
            "SET c += $props, c.updated_at = $at",
            y=young_person_id, id=new_id, props=clean(props), at=at)

    def restart(self, young_person_id: str, at: str) -> None:
        """Back to the first step (the records already made stay)."""
        self.write("MATCH (c:Conversation {young_person_id: $y}) "
                   "SET c.step = 'people', c.finished_at = null, "
                   "c.updated_at = $at", y=young_person_id, at=at)
