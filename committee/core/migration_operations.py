"""Migration operations Django does not have."""

from django.db.migrations.operations.base import Operation, OperationCategory


class ChangeFieldClasses(Operation):
    """Fields of one model take a new class whose column is the same: the typed-text fields of
    committee/core/text.py are a CharField and a TextField to the database.

    AlterField would do the same, one field at a time, rendering the model and every model
    related to it again for each: for the few hundred text columns of the portal (each
    language's, and the history's copies) that added two minutes to every new database,
    the test suite's included. This renders each model once and changes nothing in the
    database, either way.
    """

    reduces_to_sql = True  # to nothing
    reversible = True
    category = OperationCategory.ALTERATION

    def __init__(self, model_name: str, fields: list):
        self.model_name = model_name
        self.fields = fields

    def deconstruct(self):
        return (self.__class__.__name__, [], {"model_name": self.model_name, "fields": self.fields})

    def state_forwards(self, app_label, state):
        model_key = app_label, self.model_name.lower()
        fields = state.models[model_key].fields
        for name, field in self.fields:
            old = fields[name]
            # The same options on a subclass: the same column.
            if not isinstance(field, type(old)) or field.deconstruct()[2] != old.deconstruct()[2]:
                raise ValueError(f"{self.model_name}.{name} changes more than its class.")
            fields[name] = field
        state.reload_model(*model_key, delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Change the classes of {len(self.fields)} fields of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"change_field_classes_{self.model_name.lower()}"
