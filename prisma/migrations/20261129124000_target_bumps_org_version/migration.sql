-- A process keeps the targets in memory with the rest of the organisation (the chat's checks compare a
-- figure with its year's target): a change to them bumps the version too, whoever writes.
CREATE TRIGGER "target_bumps_org_version" AFTER INSERT OR UPDATE OR DELETE ON "target"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_org_version"();
